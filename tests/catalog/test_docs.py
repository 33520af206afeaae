from pathlib import Path

from codegen.docs_tables import END, START, edge_table

CATALOG_DOC = Path(__file__).parents[2] / "docs" / "catalog.md"


def test_the_edge_table_in_the_docs_matches_the_catalog_and_resolver():
    text = CATALOG_DOC.read_text(encoding="utf-8")
    documented = text.split(START, 1)[1].split(END, 1)[0].strip()
    assert documented == edge_table().strip(), "run: python -m codegen.docs_tables"


def test_the_edge_table_names_the_least_privilege_actions_of_a_pair():
    row = next(
        line
        for line in edge_table().splitlines()
        if line.startswith("| aws.lambda.function | aws.sns.topic | data_access | write |")
    )
    assert "`sns:Publish` on the target's `arn` (role of the source)" in row
