"""Schemathesis hooks (loaded through SCHEMATHESIS_HOOKS): the AWS JSON media types of `POST /`
are JSON on the wire, both ways."""

import json

import schemathesis

AWS_JSON = ("application/x-amz-json-1.0", "application/x-amz-json-1.1")


@schemathesis.serializer(*AWS_JSON)
def aws_json_body(ctx, value):
    return json.dumps(value).encode()


@schemathesis.deserializer(*AWS_JSON)
def aws_json_response(ctx, response):
    return json.loads(response.content) if response.content else None
