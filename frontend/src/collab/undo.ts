// Whether the user has anything to undo or redo, for the toolbar. The server keeps
// the stacks (`_undo_stacks` in builder/collab/store.py) and says how they stand in
// `can_undo`/`can_redo`: on connect, in the ack of each of the user's edits, and in
// the broadcast of each edit, which the user's other tabs follow.
import { create } from "zustand";

export interface UndoState {
  canUndo: boolean;
  canRedo: boolean;
}

/** What a server message says of the user's stacks. */
export interface UndoFlags {
  can_undo?: boolean;
  can_redo?: boolean;
}

/** Disabled until the server says otherwise: a new architecture has nothing to undo. */
export const useUndo = create<UndoState>(() => ({ canUndo: false, canRedo: false }));

export class UndoTracker {
  /** The revision the buttons show the stacks at. */
  private revision = -1;

  constructor() {
    useUndo.setState({ canUndo: false, canRedo: false });
  }

  /** The stacks as of `revision`, if the message says; an older word is ignored (an
   *  edit's broadcast arriving after the ack of a later one of the user's). */
  follow(revision: number, flags: UndoFlags): void {
    if (typeof flags.can_undo !== "boolean" || typeof flags.can_redo !== "boolean" || revision < this.revision) return;
    this.revision = revision;
    useUndo.setState({ canUndo: flags.can_undo, canRedo: flags.can_redo });
  }
}
