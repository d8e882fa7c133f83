import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import {
  connectPglite,
  connectPostgres,
  type DatabaseConnection,
} from '../src/server/platform/db/database';

/**
 * A fresh, migrated database for one test file: a clone of the golden PGlite image, or a
 * new PostgreSQL database copied from the migrated template when TEST_DATABASE_URL is set.
 */
export async function createTestDatabase(): Promise<DatabaseConnection> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const image = fs.readFileSync(inject('goldenImagePath'));
    return connectPglite(null, new Blob([image]));
  }
  const name = `carethread_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await createFromTemplate(admin, name, inject('templateDatabase'));
  } finally {
    await admin.end();
  }
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  const connection = connectPostgres(testUrl.toString(), 25);
  return {
    ...connection,
    close: async () => {
      await connection.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name}`);
      await dropper.end();
    },
  };
}

// Two CREATE DATABASE … TEMPLATE at the same moment can collide on the template's lock.
async function createFromTemplate(admin: pg.Client, name: string, template: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`create database ${name} template ${template}`);
      return;
    } catch (error) {
      if (attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}
