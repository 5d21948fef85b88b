"""Past one machine, orchestrated by Prefect: the shard flow deployed to a work pool.

`deploy_shards` registers one deployment of `crawl_shard_flow` per shard on a Prefect server,
all in one process-type work pool. Any number of `prefect worker start --pool NAME`
processes, on one machine or many, then take the runs (with `--limit 1`, a worker busy with
one shard leaves the next to another worker). Workers run the code from `source` (this checkout by
default, so on several machines it must be installed at the same path, or be a git URL) and
write Parquet to `out_dir`, which every worker must see; `skillscout ingest` loads it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.client.schemas.filters import FlowFilter, FlowFilterName, WorkPoolFilter, WorkPoolFilterName
from prefect.client.schemas.schedules import CronSchedule
from prefect.exceptions import ObjectNotFound

from flows.scale_out import crawl_shard_flow
from flows.schedule import ScheduleError, require_server
from flows.sources import load_sources

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = "flows/scale_out.py:crawl_shard_flow"


def ensure_process_pool(name: str) -> bool:
    """Create the work pool if it is missing; True when it was created."""
    with get_client(sync_client=True) as client:
        try:
            pool = client.read_work_pool(name)
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(name=name, type="process"))
            return True
    if pool.type != "process":
        raise ScheduleError(f"work pool {name!r} runs {pool.type!r} jobs; skillscout shards need a "
                            "process pool (pick another --pool name)")
    return False


def shard_name(shard: int, shards: int) -> str:
    return f"shard-{shard + 1}-of-{shards}"


def remove_other_shards(pool: str, keep: set[str]) -> list[str]:
    """Deployments of the shard flow in `pool` left from an earlier shard count: with 3
    shards redeployed as 2, "shard-3-of-3" would crawl sources "shard-2-of-2" also crawls."""
    removed = []
    with get_client(sync_client=True) as client:
        for deployment in client.read_deployments(
                flow_filter=FlowFilter(name=FlowFilterName(any_=[crawl_shard_flow.name])),
                work_pool_filter=WorkPoolFilter(name=WorkPoolFilterName(any_=[pool]))):
            if deployment.name not in keep:
                client.delete_deployment(deployment.id)
                removed.append(deployment.name)
    return removed


def deploy_shards(pool: str, shards: int, sources_file: Path, out_dir: Path, cron: str | None = None,
                  source: str | None = None,
                  scrapy_settings: dict[str, Any] | None = None) -> dict[str, str]:
    """One deployment per shard in `pool`; returns {deployment name: id}. Re-running it
    updates the same deployments instead of adding more, and removes shards of an earlier
    shard count."""
    if shards < 1:
        raise ScheduleError("--shards must be at least 1")
    if cron is not None:
        try:
            CronSchedule(cron=cron)
        except ValueError as exc:
            raise ScheduleError(f"not a valid cron expression: {cron!r}") from exc
    load_sources(sources_file)  # a broken file fails here, not on a worker at 6 in the morning
    require_server()
    ensure_process_pool(pool)
    flow = crawl_shard_flow.from_source(source=source or str(PROJECT_ROOT), entrypoint=ENTRYPOINT)
    deployed = {}
    for shard in range(shards):
        name = shard_name(shard, shards)
        deployment = flow.to_deployment(
            name=name, work_pool_name=pool, cron=cron, tags=["skillscout"],
            parameters={"out_dir": str(out_dir.resolve()), "shard": shard, "shards": shards,
                        "sources_file": str(sources_file.resolve()),
                        **({"scrapy_settings": scrapy_settings} if scrapy_settings else {})},
            description=f"skillscout crawl of shard {shard + 1}/{shards} of {sources_file.name}, "
                        f"written as Parquet to {out_dir}",
        )
        deployed[f"{crawl_shard_flow.name}/{name}"] = str(deployment.apply())
    remove_other_shards(pool, {shard_name(n, shards) for n in range(shards)})
    return deployed
