"""Flask's JSON through orjson: the API's answers are mostly JSON encoding by volume.

The standard library's encoder took a sixth of an API request's time (a page of 20
results and ~80 facet values); orjson writes the same JSON in a tenth of that. Keys
keep their order (the documented contract reads top-down), and non-ASCII text is
written as UTF-8, not escaped.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider


class OrjsonProvider(DefaultJSONProvider):
    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return orjson.dumps(obj, default=self.default).decode("utf-8")

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        return Response(orjson.dumps(obj, default=self.default) + b"\n", mimetype=self.mimetype)
