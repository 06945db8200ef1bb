"""Three replicas behind haproxy (deploy/haproxy.cfg, as shipped), with 20 clients
searching through it the whole time: a rebuilt index is published to every replica,
then one replica is killed with SIGKILL and brought back. Not one search may fail.

The figures (requests, failures, convergence and detection times) are written to
tests/artifacts/replicas.json for the record.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from serving import (
    ROOT,
    Searchers,
    Server,
    build_index,
    free_port,
    get_json,
    healthy,
    replica,
    require,
    wait_for,
)

from indexer.index.generations import IndexLocation
from indexer.replicas import HAProxy

CLIENTS = 20
CHECK_INTERVAL, FALL, RISE = 1.0, 2, 2  # deploy/haproxy.cfg's default-server line
# haproxy marks a dead replica down after FALL failed checks, one CHECK_INTERVAL apart
# (the first within one interval of the death): this bound, plus a second of slack.
DOWN_WITHIN = CHECK_INTERVAL * FALL + 1.0
# A replica reports the new generation within this many seconds of the publish starting
# (copy, drain, swap, reopen, one replica at a time).
CONVERGED_WITHIN = 30.0
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture
def cluster(tmp_path, seeds_dir):
    """A source index, three replicas serving copies of it, and haproxy in front."""
    require("haproxy")
    source = tmp_path / "source" / "index"
    build_index([seeds_dir], source)
    generation = IndexLocation(source).current()
    servers: dict[str, Server] = {}
    replicas = []
    for number in (1, 2, 3):
        index = tmp_path / f"r{number}" / "index"
        location = IndexLocation(index)
        location.parent.mkdir(parents=True)
        location.point_to(location.stage_copy(generation))
        port = free_port()
        # No rate limit: 20 clients on one address search hundreds of times a second.
        servers[f"r{number}"] = replica(
            index, port, tmp_path / f"r{number}.log", API_RATE_LIMIT="", TRUSTED_PROXIES="1"
        ).start()
        replicas.append((f"r{number}", index, f"http://127.0.0.1:{port}"))
    for name, _, base in replicas:
        wait_for(lambda base=base: healthy(base), 30, f"replica {name} answering")
    front = free_port()
    admin = tmp_path / "haproxy.sock"
    env = {
        "ARCHIVE_SEARCH_FRONT": f"127.0.0.1:{front}",
        "ARCHIVE_SEARCH_ADMIN_SOCKET": str(admin),
        **{
            f"ARCHIVE_SEARCH_R{n}": base.split("//")[1]
            for n, (_, _, base) in enumerate(replicas, 1)
        },
    }
    proxy = Server(
        ["haproxy", "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")],
        tmp_path / "haproxy.log",
        env,
    ).start()
    wait_for(admin.exists, 10, "haproxy's admin socket")
    stats = HAProxy(admin, "replicas")
    wait_for(
        lambda: all(row["status"] == "UP" for row in stats.servers().values()),
        15,
        "all replicas UP",
    )
    yield {
        "source": source,
        "replicas": replicas,
        "servers": servers,
        "front": front,
        "admin": admin,
        "stats": stats,
        "tmp": tmp_path,
    }
    proxy.kill()
    for server in servers.values():
        server.kill()


def test_publish_and_a_killed_replica_lose_no_search(cluster, seeds_dir, sample_csv):
    stats: HAProxy = cluster["stats"]
    figures: dict[str, object] = {}
    with Searchers("127.0.0.1", cluster["front"], CLIENTS) as clients:
        wait_for(lambda: clients.total > 200, 30, "the clients' first searches")

        # -- publish a rebuilt index (more records) to all three, one at a time ----------
        build_index([seeds_dir, sample_csv], cluster["source"])
        new_generation = IndexLocation(cluster["source"]).current().name
        started = time.monotonic()
        command = [sys.executable, "-m", "indexer.cli", "publish", str(cluster["source"])]
        for name, index, base in cluster["replicas"]:
            command += ["--replica", name, str(index), base]
        command += ["--haproxy-socket", str(cluster["admin"]), "--backend", "replicas"]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        converged = {}
        for name, _, base in cluster["replicas"]:
            status, health = get_json(base + "/healthz")
            assert status == 200 and health["generation"] == new_generation, (name, health)
            converged[name] = health
        figures["publish_seconds"] = round(time.monotonic() - started, 2)
        assert figures["publish_seconds"] <= CONVERGED_WITHIN
        assert {h["records"] for h in converged.values()} == {
            get_json(cluster["replicas"][0][2] + "/healthz")[1]["records"]
        }
        assert all(row["status"] == "UP" for row in stats.servers().values())
        figures["publish_log"] = done.stderr.strip().splitlines()
        requests_before_kill = clients.total

        # -- kill one replica outright; haproxy must stop sending to it ------------------
        victim = cluster["servers"]["r2"]
        victim.kill()
        killed_at = time.monotonic()
        figures["marked_down_seconds"] = round(
            wait_for(lambda: stats.servers()["r2"]["status"].startswith("DOWN"), 10, "r2 DOWN"),
            2,
        )
        assert figures["marked_down_seconds"] <= DOWN_WITHIN
        sent_while_down = int(stats.servers()["r2"]["stot"])
        time.sleep(2)
        assert int(stats.servers()["r2"]["stot"]) == sent_while_down  # nothing sent to it
        assert time.monotonic() - killed_at < 20

        # -- bring it back on the same port and index; haproxy must send to it again ------
        victim.start()
        figures["back_up_seconds"] = round(
            wait_for(lambda: stats.servers()["r2"]["status"] == "UP", 40, "r2 UP again"), 2
        )
        wait_for(
            lambda: int(stats.servers()["r2"]["stot"]) > sent_while_down + 20,
            15,
            "searches sent to r2 again",
        )
        status, health = get_json(cluster["replicas"][1][2] + "/healthz")
        assert status == 200 and health["generation"] == new_generation
        time.sleep(1)
    figures["requests"] = clients.total
    figures["statuses"] = dict(clients.statuses)
    figures["failures"] = clients.failures[:20]
    figures["requests_before_kill"] = requests_before_kill
    figures["per_replica_sessions"] = {
        name: int(row["stot"]) for name, row in stats.servers().items()
    }
    figures["retries"] = {name: int(row["wretr"] or 0) for name, row in stats.servers().items()}
    figures["redispatches"] = {
        name: int(row["wredis"] or 0) for name, row in stats.servers().items()
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "replicas.json").write_text(json.dumps(figures, indent=2) + "\n")
    assert clients.failures == [], clients.failures[:10]
    assert clients.total > 1_000
