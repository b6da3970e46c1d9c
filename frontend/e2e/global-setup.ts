// Starts the real backend for the end-to-end tests: `.venv/bin/puxian serve` on a free port, in a
// throwaway data folder, with the real default model (answers cut short to keep the run quick).
//
// The knowledge index takes about a minute to build, so it is built once into a cached template
// folder (`puxian ingest`, which only embeds what changed) and each run starts from a copy of it.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { ADMIN } from "./accounts";

const REPO = resolve(import.meta.dirname, "..", "..");
const PUXIAN = join(REPO, ".venv", "bin", "puxian");
const MIGRATIONS = join(REPO, "backend", "app", "db", "migrations", "versions");
// The template holds a database too, so it is kept per schema: a template migrated by a newer
// checkout would otherwise name a revision an older checkout cannot find.
const SCHEMA_KEY = createHash("sha256")
  .update(readdirSync(MIGRATIONS).filter((name) => name.endsWith(".py")).sort().join("\n"))
  .digest("hex")
  .slice(0, 12);
const TEMPLATE = join(process.env.PUXIAN_E2E_CACHE ?? join(homedir(), ".cache", "puxian", "e2e-data"), SCHEMA_KEY);
const START_TIMEOUT_MS = 10 * 60_000;
// A second backend to switch to: the same model with int8 weights (no GPU or remote server needed).
// PUXIAN_E2E_ENGINES may name others, e.g. an `openai` remote.
const ENGINES =
  process.env.PUXIAN_E2E_ENGINES ??
  JSON.stringify([
    { name: "transformers", kind: "transformers", label: "Transformers" },
    { name: "transformers-int8", kind: "transformers", label: "Transformers int8", config: { quantization: "int8" } },
  ]);

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

function serverEnv(dataDir: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("PUXIAN_")));
  return {
    ...inherited,
    PUXIAN_ENV: "development",
    PUXIAN_DATA_DIR: dataDir,
    PUXIAN_KNOWLEDGE_DIR: join(REPO, "knowledge"),
    PUXIAN_FRONTEND_DIR: join(REPO, "frontend", "dist"),
    PUXIAN_FIRST_ADMIN_USERNAME: ADMIN.username,
    PUXIAN_FIRST_ADMIN_PASSWORD: ADMIN.password,
    PUXIAN_LLM_MAX_TOKENS: process.env.PUXIAN_LLM_MAX_TOKENS ?? "48",
    PUXIAN_ENGINES: ENGINES,
    PUXIAN_DEFAULT_ENGINE: "transformers",
    PUXIAN_MODEL_CACHE: process.env.PUXIAN_MODEL_CACHE ?? join(homedir(), ".cache", "puxian", "models"),
  };
}

async function waitForHealth(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the backend exited with ${server.exitCode}; see test-results/server.log`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((wait) => setTimeout(wait, 1000));
  }
  throw new Error("the backend did not become healthy in time; see test-results/server.log");
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(PUXIAN)) throw new Error(`${PUXIAN} is missing: run \`make setup\` first`);
  if (!existsSync(join(REPO, "frontend", "dist", "index.html"))) throw new Error("frontend/dist is missing: run `npm run build`");
  mkdirSync(TEMPLATE, { recursive: true });
  mkdirSync(join(REPO, "frontend", "test-results"), { recursive: true });
  const started = Date.now();
  const ingest = spawnSync(PUXIAN, ["ingest"], { cwd: REPO, env: serverEnv(TEMPLATE), stdio: ["ignore", "ignore", "pipe"] });
  if (ingest.status !== 0) throw new Error(`puxian ingest failed:\n${ingest.stderr.toString().slice(-2000)}`);
  console.warn(`[e2e] knowledge template ready in ${((Date.now() - started) / 1000).toFixed(0)} s (${TEMPLATE})`);

  const dataDir = mkdtempSync(join(tmpdir(), "puxian-e2e-"));
  cpSync(TEMPLATE, dataDir, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = createWriteStream(join(REPO, "frontend", "test-results", "server.log"));
  const server = spawn(PUXIAN, ["serve", "--host", "127.0.0.1", "--port", String(port)], {
    cwd: REPO,
    env: serverEnv(dataDir),
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((done) => {
        const timer = setTimeout(() => {
          server.kill("SIGKILL");
          done(null);
        }, 15_000);
        server.once("exit", () => {
          clearTimeout(timer);
          done(null);
        });
      });
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, server);
  } catch (error) {
    await stop();
    throw error;
  }
  console.warn(`[e2e] backend ready at ${url} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.env.E2E_BASE_URL = url;
  return stop;
}
