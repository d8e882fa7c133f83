import type { Database } from '../../platform/db/database';
import { capturedEmails } from '../../platform/mail/capture.schema';

/** Empties the demo mailbox. Not audited: captured emails carry no patient data (N2). */
export async function clearCapturedEmails(db: Database): Promise<void> {
  await db.delete(capturedEmails);
}
