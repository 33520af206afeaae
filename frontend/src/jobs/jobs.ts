// Long work (exports, git pushes) runs as a job; follow it until it finishes.
import { api } from "../api/client";

import type { Job } from "../api/models";

export type { Job };

export async function followJob(id: Job["id"], onUpdate: (job: Job) => void, intervalMs = 800): Promise<Job> {
  for (;;) {
    const job = await api.get<Job>(`/api/jobs/${id}/`);
    onUpdate(job);
    if (job.state === "succeeded" || job.state === "failed") return job;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const downloadUrl = (id: Job["id"]) => `/api/jobs/${id}/download/`;
