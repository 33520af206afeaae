"""A small valid architecture the collaboration tests edit."""

import copy

_DOCUMENT = {
    "format": "cloudwright/v1",
    "name": "orders",
    "region": "us-east-1",
    "metadata": {"name_prefix": "orders"},
    "nodes": [
        {"id": "vpc", "type": "aws.ec2.vpc", "name": "VPC", "position": {"x": 0, "y": 0},
         "props": {"cidr_block": "10.0.0.0/16"}},
        {"id": "private", "type": "aws.ec2.subnet", "name": "Private", "parent": "vpc",
         "position": {"x": 10, "y": 10}, "props": {"cidr_block": "10.0.1.0/24"}},
        {"id": "fn", "type": "aws.lambda.function", "name": "Create order", "parent": "private",
         "position": {"x": 20, "y": 20}, "props": {"memory_mb": 512}},
        {"id": "table", "type": "aws.dynamodb.table", "name": "Orders",
         "position": {"x": 300, "y": 20}, "usage": {"storage_gb": 5}},
        {"id": "queue", "type": "aws.sqs.queue", "name": "Jobs", "position": {"x": 300, "y": 200}},
    ],
    "edges": [
        {"id": "fn-table", "source": "fn", "target": "table", "access": "read_write"},
        {"id": "queue-fn", "source": "queue", "target": "fn"},
    ],
}  # fmt: skip


def sample_document() -> dict:
    return copy.deepcopy(_DOCUMENT)
