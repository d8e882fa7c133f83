import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connectPglite, connectPostgres, migrate } from '../src/server/platform/db/database';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite: a migrated data directory that each test file clones. */
    goldenImagePath: string;
    /** PostgreSQL: a migrated database that each test file copies as a template. */
    templateDatabase: string;
  }
}

/**
 * Migrates once per run: a golden PGlite image, or a PostgreSQL template database when
 * TEST_DATABASE_URL is set. Test files then clone it instead of migrating again.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const template = `carethread_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${template}`;
    const connection = connectPostgres(templateUrl.toString(), 1);
    await migrate(connection);
    await connection.close();
    project.provide('templateDatabase', template);
    project.provide('goldenImagePath', '');
    return async () => {
      await admin.query(`drop database if exists ${template}`);
      await admin.end();
    };
  }
  const connection = await connectPglite(null);
  await migrate(connection);
  const image = await connection.client.dumpDataDir('none');
  await connection.close();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carethread-golden-'));
  const imagePath = path.join(dir, 'golden.tar');
  fs.writeFileSync(imagePath, Buffer.from(await image.arrayBuffer()));
  project.provide('goldenImagePath', imagePath);
  project.provide('templateDatabase', '');
  return async () => fs.rmSync(dir, { recursive: true, force: true });
}
