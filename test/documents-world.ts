import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import yazl from 'yazl';
import { expect } from 'vitest';
import type { DocumentView } from '../src/server/modules/documents/documents.contracts';
import type { Client } from './http';
import type { TestApp } from './test-app';

/** tus Upload-Metadata: `key base64(value)` pairs. */
/** getDocument's address (and, with /content, downloadDocument's). */
export const documentUrl = (documentId: string) => `/api/v1/documents/${documentId}`;

export function tusMetadata(metadata: Record<string, string>): string {
  return Object.entries(metadata)
    .map(([key, value]) => `${key} ${Buffer.from(value, 'utf8').toString('base64')}`)
    .join(',');
}

export function createUpload(
  client: Client,
  metadata: Record<string, string>,
  size: number,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return client.request({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: {
      'tus-resumable': '1.0.0',
      'upload-length': String(size),
      'upload-metadata': tusMetadata(metadata),
      ...headers,
    },
  });
}

/** Sends bytes from `offset`: a buffer, or a stream of `length` bytes written as the test goes. */
export function patchUpload(
  client: Client,
  location: string,
  offset: number,
  bytes: Buffer | Readable,
  length?: number,
): Promise<LightMyRequestResponse> {
  return client.request({
    method: 'PATCH',
    url: location,
    headers: {
      'tus-resumable': '1.0.0',
      'upload-offset': String(offset),
      'content-type': 'application/offset+octet-stream',
      ...(length === undefined ? {} : { 'content-length': String(length) }),
    },
    payload: bytes,
  });
}

export function headUpload(client: Client, location: string): Promise<LightMyRequestResponse> {
  return client.request({ method: 'HEAD', url: location, headers: { 'tus-resumable': '1.0.0' } });
}

/** Uploads the whole file in one PATCH; the document's id. */
export async function upload(
  client: Client,
  metadata: Record<string, string>,
  bytes: Buffer,
): Promise<string> {
  const created = await createUpload(client, metadata, bytes.length);
  expect(created.statusCode, created.body).toBe(201);
  const location = String(created.headers.location);
  const patched = await patchUpload(client, location, 0, bytes);
  expect(patched.statusCode, patched.body).toBe(204);
  return location.split('/').pop() ?? '';
}

/** Polls getDocument, as the web does, until the checks have decided. */
export async function settled(
  client: Client,
  documentId: string,
  everyMs = 20,
): Promise<DocumentView> {
  for (let attempt = 0; attempt < 120_000 / everyMs; attempt += 1) {
    const response = await client.request({
      method: 'GET',
      url: `/api/v1/documents/${documentId}`,
    });
    expect(response.statusCode, response.body).toBe(200);
    const document = response.json<DocumentView>();
    if (document.status !== 'uploading' && document.status !== 'checking') return document;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error('the document was never checked');
}

/** A real PDF with one page of text. */
export async function makePdf(text = 'Discharge summary'): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  page.drawText(text, {
    x: 50,
    y: 780,
    size: 14,
    font: await pdf.embedFont(StandardFonts.Helvetica),
  });
  return Buffer.from(await pdf.save());
}

export interface ZipEntry {
  name: string;
  bytes: Buffer;
  mode?: number;
  compress?: boolean;
}

/** A real ZIP made by yazl. */
export function makeZip(entries: ZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    zip.addBuffer(entry.bytes, entry.name, {
      ...(entry.mode !== undefined ? { mode: entry.mode } : {}),
      compress: entry.compress ?? true,
    });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => parts.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(parts)));
    zip.outputStream.on('error', reject);
  });
}

/** What is left in the tus staging directory. */
export async function stagingFiles(t: TestApp): Promise<string[]> {
  return readdir(path.join(t.deps.config.dataDir, 'uploads'));
}

/**
 * Waits for the staging directory to empty: a checked document's staged copy is removed
 * just after its outcome is recorded. Throws (with what is left) if it never empties.
 */
export async function stagingEmptied(t: TestApp): Promise<void> {
  let left: string[] = [];
  for (let attempt = 0; attempt < 500; attempt += 1) {
    left = await stagingFiles(t);
    if (left.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`staging still holds ${left.join(', ')}`);
}
