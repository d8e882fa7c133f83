import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { AppDeps } from '../../platform/deps';
import { forbidden, notFound } from '../../platform/http/problem';
import { inTransaction, type RequestFacts, type SignedInActor } from '../identity/actor';
import { errorReportCsv } from './onboarding.csv';
import { can } from './onboarding.policy';
import { onboardingImports } from './onboarding.schema';

/** An import's problems as a CSV file, for its organisation's coordinators. */
export async function getErrorReport(
  deps: AppDeps,
  actor: SignedInActor,
  ids: { organisationId: string; importId: string },
  request: RequestFacts,
): Promise<{ filename: string; csv: string }> {
  return inTransaction(deps, actor, request, async (tx, audit) => {
    if (!can(actor, 'onboarding.readImport', ids)) {
      throw forbidden(
        'onboarding.forbidden',
        'Only a coordinator of this organisation can read its imports.',
      );
    }
    const [row] = await tx
      .select({ kind: onboardingImports.kind, problems: onboardingImports.problems })
      .from(onboardingImports)
      .where(
        and(
          eq(onboardingImports.id, ids.importId),
          eq(onboardingImports.organisationId, ids.organisationId),
        ),
      );
    if (!row) throw notFound('onboarding.import_not_found', 'Import not found');
    await recordAudit(tx, audit, {
      action: 'onboarding.error_report_read',
      entityType: 'onboarding_import',
      entityId: ids.importId,
      organisationId: ids.organisationId,
    });
    return { filename: `${row.kind}-import-problems.csv`, csv: errorReportCsv(row.problems) };
  });
}
