/**
 * Two throwaway PostgreSQL clusters on this machine, a primary and its streaming replica, for the
 * tests of DATABASE_READ_URL. They are made with the server's own tools (initdb, pg_basebackup -R,
 * pg_ctl), the way an operator sets one up, in a temporary directory removed by `stop`.
 */
import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type PostgresTools = { ok: true; bin: string; runAs: string | null } | { ok: false; reason: string };

/**
 * Where initdb and friends are, and whom to run them as: PostgreSQL refuses to run as root, so
 * under root (CI) they run as the `postgres` user through runuser. Searched in Debian's
 * /usr/lib/postgresql/<version>/bin (newest first), then `pg_config --bindir`; `XHHT_PG_BIN`
 * names the one directory to use instead.
 */
export function findPostgresTools(): PostgresTools {
  const candidates: string[] = [];
  if (process.env.XHHT_PG_BIN) candidates.push(process.env.XHHT_PG_BIN);
  else {
    const debian = "/usr/lib/postgresql";
    if (existsSync(debian)) {
      const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v));
      versions.sort((a, b) => Number(b) - Number(a));
      candidates.push(...versions.map((v) => join(debian, v, "bin")));
    }
    try {
      candidates.push(execFileSync("pg_config", ["--bindir"], { encoding: "utf8", stdio: "pipe" }).trim());
    } catch {
      // No pg_config on PATH: the Debian location is all we know.
    }
  }
  const tools = ["initdb", "pg_ctl", "pg_basebackup", "postgres"];
  const bin = candidates.find((dir) => tools.every((tool) => existsSync(join(dir, tool))));
  if (!bin) {
    return {
      ok: false,
      reason: `PostgreSQL server binaries (${tools.join(", ")}) not found in ${candidates.join(", ") || "/usr/lib/postgresql/*/bin"}; install postgresql or set XHHT_PG_BIN`,
    };
  }
  if (process.getuid?.() !== 0) return { ok: true, bin, runAs: null };
  try {
    execFileSync("id", ["-u", "postgres"], { stdio: "pipe" });
    execFileSync("runuser", ["--help"], { stdio: "pipe" });
  } catch {
    return { ok: false, reason: "running as root, but no user postgres (or no runuser) to run initdb as" };
  }
  return { ok: true, bin, runAs: "postgres" };
}

export interface StreamingReplica {
  /** postgres://… of `database` on the primary. */
  primaryUrl(database: string): string;
  /** postgres://… of `database` on the replica. */
  replicaUrl(database: string): string;
  /** Stop both clusters and remove their directory. Idempotent. */
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Start a primary (`wal_level = replica`) and a replica cloned from it by `pg_basebackup -R`. */
export async function startStreamingReplica(
  tools: Extract<PostgresTools, { ok: true }>,
): Promise<StreamingReplica> {
  const dir = mkdtempSync(join(tmpdir(), "xhht-replica-"));
  const uid = tools.runAs
    ? Number(execFileSync("id", ["-u", tools.runAs], { encoding: "utf8" }).trim())
    : null;
  const gid = tools.runAs
    ? Number(execFileSync("id", ["-g", tools.runAs], { encoding: "utf8" }).trim())
    : null;
  if (uid !== null && gid !== null) chownSync(dir, uid, gid);
  const primary = join(dir, "primary");
  const replica = join(dir, "replica");
  const primaryPort = await freePort();
  let replicaPort = await freePort();
  while (replicaPort === primaryPort) replicaPort = await freePort();

  const run = (tool: string, args: string[]) => {
    const command = join(tools.bin, tool);
    const [file, argv] = tools.runAs
      ? ["runuser", ["-u", tools.runAs, "--", command, ...args]]
      : [command, args];
    try {
      // cwd: the postgres user may not read the directory the tests run in.
      execFileSync(file, argv, { cwd: dir, stdio: "pipe", encoding: "utf8" });
    } catch (error) {
      const logs = ["primary.log", "replica.log"]
        .filter((name) => existsSync(join(dir, name)))
        .map((name) => `── ${name}\n${readFileSync(join(dir, name), "utf8").slice(-2000)}`);
      const { stderr } = error as { stderr?: string };
      throw new Error(`${tool} ${args.join(" ")} failed: ${stderr ?? error}\n${logs.join("\n")}`);
    }
  };
  // Appended by us (root or the owner); the file keeps its owner, so the server can still read it.
  const settings = (dataDir: string, lines: string[]) =>
    appendFileSync(join(dataDir, "postgresql.conf"), `\n# xhht read-replica test\n${lines.join("\n")}\n`);

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const dataDir of [replica, primary]) {
      if (!existsSync(join(dataDir, "postmaster.pid"))) continue;
      try {
        run("pg_ctl", ["stop", "-D", dataDir, "-m", "immediate", "-w", "-s"]);
      } catch (error) {
        process.emitWarning(`could not stop the test cluster in ${dataDir}: ${(error as Error).message}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test run killed between start and afterAll must not leave two servers behind.
  process.once("exit", stop);

  try {
    run("initdb", [
      "-D",
      primary,
      "-U",
      "postgres",
      "--auth=trust",
      "-E",
      "UTF8",
      "--no-locale",
      "--no-sync",
    ]);
    settings(primary, [
      "listen_addresses = '127.0.0.1'",
      `port = ${primaryPort}`,
      `unix_socket_directories = '${dir}'`,
      "wal_level = replica",
      "max_wal_senders = 4",
      "max_connections = 40",
      "shared_buffers = 32MB",
      // A throwaway cluster: durability is not what is tested, speed on two cores is welcome.
      "fsync = off",
    ]);
    run("pg_ctl", ["start", "-D", primary, "-w", "-s", "-l", join(dir, "primary.log")]);
    // initdb's pg_hba.conf lets local replication connections in (trust), so no role is needed.
    run("pg_basebackup", [
      "-h",
      "127.0.0.1",
      "-p",
      String(primaryPort),
      "-U",
      "postgres",
      "-D",
      replica,
      "-R",
      "-X",
      "stream",
      "-c",
      "fast",
    ]);
    settings(replica, [`port = ${replicaPort}`, "hot_standby = on", "hot_standby_feedback = on"]);
    run("pg_ctl", ["start", "-D", replica, "-w", "-s", "-l", join(dir, "replica.log")]);
  } catch (error) {
    stop();
    throw error;
  }

  const url = (port: number, database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    primaryUrl: (database) => url(primaryPort, database),
    replicaUrl: (database) => url(replicaPort, database),
    stop: () => {
      process.removeListener("exit", stop);
      stop();
    },
  };
}
