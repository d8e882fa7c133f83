// Every table, for Drizzle's typed queries and drizzle-kit's migration generator.
export * from '../audit/audit.schema';
export * from '../../modules/directory/directory.schema';
export * from '../../modules/patients/patients.schema';
export * from '../../modules/identity/identity.schema';
export * from '../idempotency/idempotency.schema';
export * from '../../modules/conversations/conversations.schema';
export * from '../mail/capture.schema';
export * from '../outbox/outbox.schema';
export * from '../../modules/notifications/notifications.schema';
export * from '../../modules/oidc/oidc.schema';
export * from '../../modules/consent/consent.schema';
export * from '../../modules/onboarding/onboarding.schema';
export * from '../../modules/documents/documents.schema';
export * from '../../modules/appointments/appointments.schema';
export * from '../../modules/integrations/integrations.schema';
export * from '../../modules/subscriptions/subscriptions.schema';
