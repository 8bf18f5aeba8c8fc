"""fakesnow server, adapted for the Node.js snowflake-sdk.

- Query replies: Arrow rowsets (rowsetBase64) become JSON rowsets, with `returned` set.
- Login reply: CLIENT_STAGE_ARRAY_BINDING_THRESHOLD is reported as Snowflake's default (65280);
  the Node sdk reads fakesnow's 0 as "always upload array binds to a stage" and tries a PUT first.
- Errors fakesnow doesn't map (DuckDB write conflicts, pyarrow overflows, ...) become ordinary
  Snowflake error replies instead of HTTP 500s, which the sdk would retry for about a minute.
"""
import argparse
import base64
import datetime as dt
import decimal
import json

import duckdb
import pyarrow as pa
import snowflake.connector.errors as sf_errors
import uvicorn

import fakesnow.server
from fakesnow.cursor import FakeSnowflakeCursor

EPOCH = dt.date(1970, 1, 1)
ARRAY_BIND_THRESHOLD = 65280


def to_json_value(v, sf_type):
    # Snowflake's JSON result encoding: everything is a string or null
    if v is None:
        return None
    if sf_type in ("timestamp_ntz", "timestamp_ltz", "timestamp_tz") and isinstance(v, dict):
        if v.get("epoch") is None:
            return None
        s = f"{v['epoch']}.{v['fraction']:09d}"
        return f"{s} {v['timezone']}" if sf_type == "timestamp_tz" else s
    if sf_type == "time" and isinstance(v, int):
        return f"{v // 1_000_000_000}.{v % 1_000_000_000:09d}"
    if sf_type == "date" and isinstance(v, dt.date):
        return str((v - EPOCH).days)
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, decimal.Decimal):
        return format(v, "f")
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (bytes, bytearray)):
        return v.hex().upper()
    if isinstance(v, (dict, list)):
        return json.dumps(v, default=str)
    return str(v)


def arrow_to_rowset(b64, rowtype):
    if not b64:
        return []
    table = pa.ipc.open_stream(base64.b64decode(b64)).read_all()
    types = [c["type"] for c in rowtype]
    cols = [c.to_pylist() for c in table.columns]
    return [[to_json_value(v, t) for v, t in zip(row, types)] for row in zip(*cols)]


def rewrite_query(status, payload):
    if status >= 500:
        msg = payload.get("message") or "fakesnow internal error"
        return 200, {"data": {"errorCode": "000603", "sqlState": "XX000"}, "code": "000603",
                     "message": msg, "success": False}
    data = payload.get("data")
    if isinstance(data, dict):
        if data.get("queryResultFormat") == "arrow":
            data["rowset"] = arrow_to_rowset(data.pop("rowsetBase64", ""), data.get("rowtype") or [])
            data["queryResultFormat"] = "json"
        if "rowset" in data:
            data.setdefault("returned", len(data["rowset"]))
    return status, payload


def rewrite_login(status, payload):
    data = payload.get("data")
    if isinstance(data, dict):
        for p in data.get("parameters") or []:
            if p.get("name") == "CLIENT_STAGE_ARRAY_BINDING_THRESHOLD":
                p["value"] = ARRAY_BIND_THRESHOLD
    return status, payload


REWRITES = {"/queries/v1/query-request": rewrite_query, "/session/v1/login-request": rewrite_login}


class NodeCompat:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        rewrite = REWRITES.get(scope.get("path")) if scope["type"] == "http" else None
        if rewrite is None:
            return await self.app(scope, receive, send)
        start = None
        chunks = []

        async def buffered_send(message):
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body":
                return await send(message)
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body, status = b"".join(chunks), start["status"]
            try:
                payload = json.loads(body)
            except ValueError:
                # starlette's debug page for an exception fakesnow didn't catch: keep its last line
                lines = [ln for ln in body.decode("utf-8", "replace").splitlines() if ln.strip()]
                payload = {"message": lines[-1] if lines else "fakesnow internal error"}
            status, payload = rewrite(status, payload)
            body = json.dumps(payload).encode()
            headers = [(k, v) for k, v in start["headers"] if k.lower() not in (b"content-length", b"content-type")]
            headers += [(b"content-length", str(len(body)).encode()), (b"content-type", b"application/json")]
            await send({**start, "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered_send)


_execute = FakeSnowflakeCursor.execute


def execute(self, *args, **kwargs):
    try:
        return _execute(self, *args, **kwargs)
    except (sf_errors.ProgrammingError, sf_errors.OperationalError):
        raise
    except sf_errors.Error as e:
        raise sf_errors.ProgrammingError(msg=e.msg, errno=e.errno or 603, sqlstate=e.sqlstate) from e
    except duckdb.TransactionException as e:
        if "Conflict" in str(e):
            # DuckDB aborts a write-write conflict at once; Snowflake would wait on the lock instead
            raise sf_errors.ProgrammingError(msg=str(e), errno=625, sqlstate="57014") from e
        raise sf_errors.ProgrammingError(msg=str(e), errno=603, sqlstate="25000") from e
    except duckdb.ConstraintException as e:
        raise sf_errors.ProgrammingError(msg=str(e), errno=100072, sqlstate="22000") from e
    except duckdb.Error as e:
        raise sf_errors.ProgrammingError(msg=str(e), errno=603, sqlstate="XX000") from e


FakeSnowflakeCursor.execute = execute

if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log-level", default="warning")
    a = p.parse_args()
    uvicorn.run(NodeCompat(fakesnow.server.app), host=a.host, port=a.port, log_level=a.log_level)
