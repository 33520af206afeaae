"""The AWS CDK (Python) renderer: the resolved model as a complete CDK app.

`render(model)` plans the stacks (stacks.py), builds each stack's code as a tree
(components.py for nodes, wiring.py for edges, pytree.py for the tree) and renders it
with the files around it (project.py). Same model, byte-identical files.
"""

from __future__ import annotations

from collections.abc import Mapping

from codegen.cdk import project
from codegen.cdk.components import BUILDERS
from codegen.cdk.pytree import SELF, Comment, Do, Stmt, name, names_used, render_block
from codegen.cdk.stacks import StackPlan, plan
from codegen.cdk.wiring import WIRING
from codegen.cdk.writer import MODULES, StackWriter
from codegen.files import STACKS_FILE
from codegen.model import Model

CORE_NAMES = ("CfnWaitConditionHandle", "Duration", "Fn", "Stack")


def render(model: Model, previous: Mapping[str, str | bytes] | None = None) -> dict[str, str]:
    """The files of the CDK app for `model`, path -> text.

    `previous` holds the files of the app as generated before, if any: the stacks its
    `stacks.json` records are kept (see stacks.py). PreviousInvalid for a malformed one.
    """
    recorded = (previous or {}).get(STACKS_FILE)
    plans = plan(
        model, previous=project.read_stacks_json(recorded) if recorded is not None else None
    )
    stack_of = {node_id: p.ident for p in plans for node_id in p.node_ids}
    files = {
        "app.py": project.app_py(model, plans),
        "cdk.json": project.cdk_json(),
        "requirements.txt": project.requirements(),
        "requirements-dev.txt": project.requirements_dev(),
        "README.md": project.readme(model, plans),
        ".gitignore": project.GITIGNORE,
        "cloudwright.json": project.document_json(model),
        STACKS_FILE: project.stacks_json(plans),
        "stacks/__init__.py": "",
        "stacks/function_code.py": project.FUNCTION_CODE.format(header=project.HEADER),
        "tests/__init__.py": "",
        "tests/test_stack.py": project.test_stack(model),
    }
    for p in plans:
        files[f"stacks/{p.ident}_stack.py"] = _stack_module(model, p, plans, stack_of)
    for code in model.lambda_code.values():
        files[f"{code.directory}/{code.filename}"] = code.source
    return dict(sorted(files.items()))


def _stack_statements(w: StackWriter) -> list[Stmt]:
    statements: list[Stmt] = []
    for node_id in w.plan.node_ids:
        comp = w.model.components[node_id]
        built = BUILDERS[comp.type](w, comp) if comp.type in BUILDERS else []
        if built:
            statements.append(Comment(f"{node_id}: {comp.type}"))
            statements += built
    if not statements:
        # CloudFormation refuses a template without resources.
        placeholder = name("CfnWaitConditionHandle").call(SELF, "placeholder")
        statements += [Comment("Nothing drawn creates a resource yet"), Do(placeholder)]
    wiring = [stmt for write in WIRING for _home, stmt in write(w)]
    if wiring:
        statements.append(Comment("What the connections imply: grants, rules and targets"))
        statements += wiring
    return statements


def _imports(used: set[str], needs_function_code: bool, deps: list[StackPlan]) -> str:
    core = [n for n in CORE_NAMES if n in used]
    modules = sorted((MODULES[a], a) for a in used if a in MODULES)
    members = core + [f"{module} as {alias}" for module, alias in modules]
    joined = ", ".join(members)
    if len(f"from aws_cdk import {joined}") <= 100:
        line = f"from aws_cdk import {joined}\n"
    else:
        line = "from aws_cdk import (\n" + "".join(f"    {m},\n" for m in members) + ")\n"
    local = "".join(f"from stacks.{d.ident}_stack import {d.class_name}\n" for d in deps)
    if needs_function_code:
        local = "from stacks.function_code import function_code\n" + local
    return line + "from constructs import Construct\n" + (f"\n{local}" if local else "")


def _stack_module(
    model: Model, p: StackPlan, plans: list[StackPlan], stack_of: dict[str, str]
) -> str:
    w = StackWriter(model, p, stack_of)
    statements = _stack_statements(w)
    body = render_block(statements, 8)
    used = names_used(statements) | {"Stack"}
    deps = [q for q in plans if q.ident in p.depends_on]
    params = "*, " + "".join(f"{d.ident}: {d.class_name}, " for d in deps) if deps else ""
    head = "self, scope: Construct, construct_id: str, "
    signature = f"    def __init__({head}{params}**kwargs) -> None:\n"
    if len(signature) > 100:
        signature = f"    def __init__(\n        {head}{params}**kwargs\n    ) -> None:\n"
    if any(len(line) > 99 for line in signature.splitlines()):
        signature = (
            "    def __init__(\n"
            "        self,\n        scope: Construct,\n        construct_id: str,\n        *,\n"
            + "".join(f"        {d.ident}: {d.class_name},\n" for d in deps)
            + "        **kwargs,\n    ) -> None:\n"
        )
    part = project.part_of(p, plans)
    what = (
        f"The architecture's resources: {part}." if part else "Every resource of the architecture."
    )
    return (
        f'"""{p.class_name}.\n\n{project.HEADER}\n"""\n\n'
        + _imports(used, "function_code" in used, deps)
        + f"\n\nclass {p.class_name}(Stack):\n"
        + f'    """{what}"""\n\n'
        + signature
        + "        super().__init__(scope, construct_id, **kwargs)\n"
        + body
    )


__all__ = ["render"]
