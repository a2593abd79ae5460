"""Local data that survives a restart of `make dev`.

moto keeps everything in memory, so the local stack journals every change it reads from the table's
DynamoDB stream (the same stream that feeds events in the cloud) to `journal.jsonl` in the data
directory, flushed before the HTTP response is sent. At start-up, snapshot + journal are compacted into
a new snapshot and loaded into the fresh moto table."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from crm import catalogue

SNAPSHOT = "snapshot.json"
JOURNAL = "journal.jsonl"


def _key(keys: dict[str, Any]) -> str:
    return f"{keys[catalogue.TABLE.partition_key]['S']}\x00{keys[catalogue.TABLE.sort_key]['S']}"


class StreamReader:
    """Reads every shard of the table's stream from where it last stopped (moto's streams need polling,
    as Lambda's event source mapping polls in the cloud)."""

    def __init__(self, table_name: str) -> None:
        import boto3
        from botocore.config import Config

        # moto routes DynamoDB Streams by the classic endpoint, not the account-based one.
        self._streams = boto3.client("dynamodbstreams", config=Config(account_id_endpoint_mode="disabled"))
        arn = boto3.client("dynamodb").describe_table(TableName=table_name)["Table"]["LatestStreamArn"]
        self._arn = arn
        self._iterators: dict[str, str] = {}

    def read(self) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        shards = self._streams.describe_stream(StreamArn=self._arn)["StreamDescription"]["Shards"]
        for shard in shards:
            shard_id = shard["ShardId"]
            if shard_id not in self._iterators:
                self._iterators[shard_id] = self._streams.get_shard_iterator(
                    StreamArn=self._arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
            while True:
                page = self._streams.get_records(ShardIterator=self._iterators[shard_id], Limit=1000)
                self._iterators[shard_id] = page["NextShardIterator"]
                records.extend(page["Records"])
                if len(page["Records"]) < 1000:
                    break
        return records


class Journal:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        self._file = None

    def load(self) -> dict[str, dict[str, Any]]:
        """Snapshot + journal, compacted and written back as the new snapshot."""
        items: dict[str, dict[str, Any]] = {}
        snapshot = self.data_dir / SNAPSHOT
        if snapshot.exists():
            items = json.loads(snapshot.read_text())
        journal = self.data_dir / JOURNAL
        if journal.exists():
            for line in journal.read_text().splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    break  # a torn last line from a hard kill: everything before it is intact
                if entry["item"] is None:
                    items.pop(entry["key"], None)
                else:
                    items[entry["key"]] = entry["item"]
        temporary = self.data_dir / (SNAPSHOT + ".tmp")
        temporary.write_text(json.dumps(items))
        os.replace(temporary, snapshot)
        journal.write_text("")
        return items

    def append(self, stream_records: list[dict[str, Any]]) -> None:
        if not stream_records:
            return
        if self._file is None:
            self._file = (self.data_dir / JOURNAL).open("a", encoding="utf-8")
        for record in stream_records:
            change = record["dynamodb"]
            item = change.get("NewImage") if record["eventName"] != "REMOVE" else None
            self._file.write(json.dumps({"key": _key(change["Keys"]), "item": item}) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())


def restore(table_name: str, items: dict[str, dict[str, Any]]) -> None:
    import boto3

    client = boto3.client("dynamodb")
    batch: list[dict[str, Any]] = []
    for item in items.values():
        batch.append({"PutRequest": {"Item": item}})
        if len(batch) == 25:
            client.batch_write_item(RequestItems={table_name: batch})
            batch = []
    if batch:
        client.batch_write_item(RequestItems={table_name: batch})
