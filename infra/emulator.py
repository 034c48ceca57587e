"""Runs the AWS emulator (moto's server mode) on 127.0.0.1 for Tifli's local stack and tests.

It prints one line, `listening http://127.0.0.1:PORT`, once it accepts requests, and stops
when its standard input closes: the process that started it keeps the pipe open, so the
emulator never outlives it, even when that process is killed.

Requests are served on many connections at once but handled one at a time. DynamoDB
runs each request, a TransactWriteItems included, atomically; moto's backends do not
lock, so without this two concurrent conditional writes could both succeed, which
DynamoDB never allows and which Tifli's idempotency and optimistic locking rely on.
"""

import argparse
import copy
import json
import sys
import threading
import time

from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.core.exceptions import JsonRESTError
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.responses import DynamoHandler
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

OPERATIONS = {"ConditionCheck", "Put", "Delete", "Update"}


def transact_write_items(self, transact_items):
    """TransactWriteItems as DynamoDB runs it: every condition is checked against the
    state before the transaction; if one fails nothing is written, else all is.

    The emulator's own version snapshots every table it touches, once per item, to undo
    a failed transaction: a write then costs time in proportion to the table, and the
    500 concurrent filings of the load test become quadratic. Checking first needs no
    snapshot; the items written are kept, to be put back if a write itself fails."""
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    planned, errors, keys = [], [], set()
    for item in transact_items:
        if len(item) > 1:
            raise TransactWriteSingleOpException
        kind, op = next(iter(item.items()))
        old = None
        try:
            if kind not in OPERATIONS:
                raise ValueError("Unsupported transaction operation")
            name = op["TableName"]
            table = self.get_table(name)
            if kind == "Put":
                attrs = op["Item"]
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]
            unique = (name, str(dict(sorted(key.items()))))
            if unique in keys:
                raise MultipleTransactionsException()
            keys.add(unique)
            current = self.get_item(name, key)
            condition = op.get("ConditionExpression")
            if condition is not None and not get_filter_expression(
                condition,
                op.get("ExpressionAttributeNames"),
                op.get("ExpressionAttributeValues"),
            ).expr(current):
                if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                    old = current.to_json()["Attributes"]
                raise ConditionalCheckFailed(item=old)
            planned.append((kind, op, name, key, current))
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            raise
        except ConditionalCheckFailed as e:
            errors.append(("ConditionalCheckFailed", str(e.message), old))
        except Exception as e:  # as the emulator does: the reason goes into the list
            errors.append((type(e).__name__, str(e), old))
    if any(code is not None for code, _, _ in errors):
        raise TransactionCanceledException(errors)
    written = []
    # Where each table's stream stood: a write undone leaves no record behind.
    streams = {
        name: (table.stream_shard, len(table.stream_shard.items))
        for name, table in ((n, self.get_table(n)) for n in {p[2] for p in planned})
        if table.stream_shard is not None
    }
    try:
        for kind, op, name, key, current in planned:
            if kind == "ConditionCheck":
                continue
            written.append((name, key, copy.deepcopy(current)))
            if kind == "Put":
                self.put_item(name, op["Item"])
            elif kind == "Delete":
                self.delete_item(name, key)
            elif kind == "Update":
                self.update_item(
                    name,
                    key,
                    update_expression=op["UpdateExpression"],
                    expression_attribute_names=op.get("ExpressionAttributeNames"),
                    expression_attribute_values=op.get("ExpressionAttributeValues"),
                )
    except Exception:
        for name, key, before in reversed(written):
            if before is None:
                self.delete_item(name, key)
            else:
                self.put_item(name, before.to_json()["Attributes"])
        for shard, length in streams.values():
            del shard.items[length:]
        raise


DynamoDBBackend.transact_write_items = transact_write_items

# ClientRequestToken → (the request's items, when, the answer), for ten minutes.
TOKEN_LIFETIME_SECONDS = 600
transaction_tokens = {}
handle_transaction = DynamoHandler.transact_write_items


def idempotent_transact_write_items(self):
    """TransactWriteItems with its ClientRequestToken honoured, as DynamoDB does and the
    emulator does not: the SDK sets one per call and keeps it across its retries, so a
    retry after a lost answer returns the first answer instead of meeting its own write
    (a version condition failing, an idempotency key already held)."""
    token = self.body.get("ClientRequestToken")
    if not token:
        return handle_transaction(self)
    items = json.dumps(self.body["TransactItems"], sort_keys=True)
    now = time.monotonic()
    expired = [
        t for t, (_, at, _) in transaction_tokens.items() if now - at > TOKEN_LIFETIME_SECONDS
    ]
    for old in expired:
        del transaction_tokens[old]
    if token in transaction_tokens:
        first_items, _, answer = transaction_tokens[token]
        if first_items != items:
            raise IdempotentParameterMismatch()
        return answer
    answer = handle_transaction(self)
    transaction_tokens[token] = (items, now, answer)
    return answer


class IdempotentParameterMismatch(JsonRESTError):
    def __init__(self):
        super().__init__(
            "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
            "the ClientRequestToken was used with other parameters",
        )


DynamoHandler.transact_write_items = idempotent_transact_write_items


def serialised(app):
    lock = threading.Lock()

    def handle(environ, start_response):
        with lock:
            # The body is produced inside the lock, so no other request sees a half-applied one.
            return list(app(environ, start_response))

    return handle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()

    app = serialised(DomainDispatcherApplication(create_backend_app))
    server = make_server(
        args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    print(f"listening http://{host}:{port}", flush=True)
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    server.shutdown()


if __name__ == "__main__":
    main()
