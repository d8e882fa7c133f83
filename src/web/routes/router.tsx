import { createBrowserRouter } from 'react-router';
import { AppLayout } from '../components/AppLayout';
import { AccountPage } from '../features/account/AccountPage';
import { OrganisationSettingsPage } from '../features/account/OrganisationSettingsPage';
import { SignInCodePage, SignInRecoveryCodePage } from '../features/account/SecondFactorPages';
import { TotpSetupPage } from '../features/account/TotpSetupPage';
import { MembersPage } from '../features/members/MembersPage';
import { NewProfessionalPage } from '../features/members/NewProfessionalPage';
import { RemoveMemberPage } from '../features/members/RemoveMemberPage';
import { EscalationPathwayPage } from '../features/pathway/EscalationPathwayPage';
import { AccessLogPage } from '../features/conversations/AccessLogPage';
import { AddPeoplePage } from '../features/conversations/AddPeoplePage';
import { ComposePage } from '../features/conversations/ComposePage';
import { ConversationPage } from '../features/conversations/ConversationPage';
import { LeaveConversationPage } from '../features/conversations/LeaveConversationPage';
import { SentInErrorPage } from '../features/conversations/SentInErrorPage';
import { MyConversationsPage } from '../features/conversations/MyConversationsPage';
import { ClearMailboxPage } from '../features/mailbox/ClearMailboxPage';
import { MailboxPage } from '../features/mailbox/MailboxPage';
import { DeadLettersPage } from '../features/notifications/DeadLettersPage';
import { NotificationSettingsPage } from '../features/notifications/NotificationSettingsPage';
import { InboxChooserPage, TeamInboxPage } from '../features/inbox/TeamInboxPage';
import { PatientRecordPage } from '../features/patients/PatientRecordPage';
import { FindPatientPage } from '../features/patients/FindPatientPage';
import { RemoveCareTeamPage } from '../features/patients/RemoveCareTeamPage';
import { StartConversationPage } from '../features/patients/StartConversationPage';
import {
  RequireCoordinator,
  RequireMessaging,
  RequirePatient,
  RequireSession,
  RequireStaff,
} from '../features/session/RequireSession';
import { ChooseRolePage } from '../features/session/ChooseRolePage';
import { SignInPage } from '../features/session/SignInPage';
import { SignInProblemPage } from '../features/session/SignInProblemPage';
import { SigningOutPage } from '../features/session/SigningOutPage';
import {
  PatientHomeGate,
  VerifyYourIdentityPage,
} from '../features/session/VerifyYourIdentityPage';
import { NewTeamPage } from '../features/teams/NewTeamPage';
import { TeamPage } from '../features/teams/TeamPage';
import { TeamsListPage } from '../features/teams/TeamsListPage';
import { PublicTeamPage } from '../features/public-team/PublicTeamPage';
import { ImportPage } from '../features/onboarding/ImportPage';
import { ConnectedSystemsPage } from '../features/integrations/ConnectedSystemsPage';
import { ConnectSystemPage } from '../features/integrations/ConnectSystemPage';
import { DisconnectSystemPage } from '../features/integrations/DisconnectSystemPage';
import { RemoveStaffSsoPage } from '../features/staff-sso/RemoveStaffSsoPage';
import { StaffSsoPage } from '../features/staff-sso/StaffSsoPage';
import { StaffSsoProviderPage } from '../features/staff-sso/StaffSsoProviderPage';
import { AcceptInvitationPage } from '../features/carers/AcceptInvitationPage';
import { CancelPaperInvitationPage } from '../features/carers/CancelPaperInvitationPage';
import { CaredForPage, CarerComposePage } from '../features/carers/CaredForPage';
import { RecordPaperConsentPage } from '../features/carers/RecordPaperConsentPage';
import { RecordWithdrawalPage } from '../features/carers/RecordWithdrawalPage';
import { CarersPage } from '../features/carers/CarersPage';
import { PeopleICareForPage } from '../features/carers/PeopleICareForPage';
import { StopCarerAccessPage } from '../features/carers/StopCarerAccessPage';
import { CancelInvitationPage } from '../features/carers/CancelInvitationPage';
import { BreakGlassPage } from '../features/record-access/BreakGlassPage';
import { BreakGlassReviewPage } from '../features/record-access/BreakGlassReviewPage';
import { AppointmentPage } from '../features/appointments/AppointmentPage';
import { AppointmentSettingsPage } from '../features/appointments/AppointmentSettingsPage';
import { AskToChangePage } from '../features/appointments/AskToChangePage';
import { BookAppointmentPage } from '../features/appointments/BookAppointmentPage';
import {
  CancelAppointmentPage,
  ChangeAppointmentPage,
} from '../features/appointments/ChangeAppointmentPages';
import {
  CaredForAppointmentsPage,
  MyAppointmentsPage,
} from '../features/appointments/PatientAppointmentsPages';
import { DocumentPage } from '../features/documents/DocumentPage';
import { EnteredInErrorPage } from '../features/documents/EnteredInErrorPage';
import {
  CaredForDocumentsPage,
  CaredForUploadPage,
  MyDocumentsPage,
  MyUploadPage,
  StaffUploadPage,
} from '../features/documents/DocumentsPages';
import { HomePage } from './HomePage';
import { NotFoundPage } from './NotFoundPage';
import { RouteError } from './RouteError';

export const router = createBrowserRouter([
  {
    element: <AppLayout />,
    errorElement: <RouteError />,
    children: [
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'sign-in/problem', element: <SignInProblemPage /> },
      { path: 'sign-in/choose-role', element: <ChooseRolePage /> },
      { path: 'sign-in/code', element: <SignInCodePage /> },
      { path: 'sign-in/recovery-code', element: <SignInRecoveryCodePage /> },
      { path: 'signing-out', element: <SigningOutPage /> },
      // A team's public web page: no sign-in needed.
      { path: 't/:slug', element: <PublicTeamPage /> },
      {
        element: <RequireSession />,
        children: [
          // A patient not verified to P9 starts at "Verify your identity" (C5).
          { element: <PatientHomeGate />, children: [{ index: true, element: <HomePage /> }] },
          { path: 'verify-identity', element: <VerifyYourIdentityPage /> },
          {
            element: <RequireCoordinator />,
            children: [
              { path: 'teams', element: <TeamsListPage /> },
              { path: 'teams/new', element: <NewTeamPage /> },
              {
                path: 'organisations/:organisationId/import/staff',
                element: <ImportPage kind="staff" />,
              },
              {
                path: 'organisations/:organisationId/import/patients',
                element: <ImportPage kind="patients" />,
              },
              {
                path: 'organisations/:organisationId/dead-letters',
                element: <DeadLettersPage />,
              },
              {
                path: 'organisations/:organisationId/statistics',
                lazy: async () => ({
                  Component: (await import('../features/workload/OrganisationStatisticsPage'))
                    .OrganisationStatisticsPage,
                }),
              },
              { path: 'break-glass/review', element: <BreakGlassReviewPage /> },
              {
                path: 'patients/:patientId/care-teams/:teamId/remove',
                element: <RemoveCareTeamPage />,
              },
              {
                path: 'organisations/:organisationId/settings',
                element: <OrganisationSettingsPage />,
              },
              {
                path: 'organisations/:organisationId/appointment-settings',
                element: <AppointmentSettingsPage />,
              },
              {
                path: 'organisations/:organisationId/connected-systems',
                element: <ConnectedSystemsPage />,
              },
              {
                path: 'organisations/:organisationId/connected-systems/new',
                element: <ConnectSystemPage />,
              },
              {
                path: 'organisations/:organisationId/connected-systems/:clientId/disconnect',
                element: <DisconnectSystemPage />,
              },
              {
                path: 'organisations/:organisationId/staff-sign-in',
                element: <StaffSsoPage />,
              },
              {
                path: 'organisations/:organisationId/staff-sign-in/:provider',
                element: <StaffSsoProviderPage />,
              },
              {
                path: 'organisations/:organisationId/staff-sign-in/:provider/remove',
                element: <RemoveStaffSsoPage />,
              },
            ],
          },
          { path: 'account', element: <AccountPage /> },
          { path: 'account/authenticator', element: <TotpSetupPage /> },
          { path: 'dev/mailbox', element: <MailboxPage /> },
          { path: 'dev/mailbox/clear', element: <ClearMailboxPage /> },
          { path: 'teams/:teamId', element: <TeamPage /> },
          { path: 'teams/:teamId/members', element: <MembersPage /> },
          { path: 'teams/:teamId/members/new', element: <NewProfessionalPage /> },
          {
            path: 'teams/:teamId/members/:professionalId/remove',
            element: <RemoveMemberPage />,
          },
          { path: 'teams/:teamId/escalation-pathway', element: <EscalationPathwayPage /> },
          {
            element: <RequireMessaging />,
            children: [
              { path: 'conversations', element: <MyConversationsPage /> },
              { path: 'conversations/:conversationId', element: <ConversationPage /> },
              { path: 'conversations/:conversationId/leave', element: <LeaveConversationPage /> },
              {
                path: 'conversations/:conversationId/messages/:messageId/sent-in-error',
                element: <SentInErrorPage />,
              },
              { path: 'documents/:documentId', element: <DocumentPage /> },
              { path: 'documents/:documentId/added-in-error', element: <EnteredInErrorPage /> },
              // Staff and P9 patients (and their carers) see an appointment's details.
              { path: 'appointments/:appointmentId', element: <AppointmentPage /> },
            ],
          },
          {
            element: <RequirePatient />,
            children: [
              { path: 'messages/new', element: <ComposePage /> },
              { path: 'access-log', element: <AccessLogPage /> },
              { path: 'carers', element: <CarersPage /> },
              { path: 'carers/accept', element: <AcceptInvitationPage /> },
              { path: 'carers/:consentId/stop', element: <StopCarerAccessPage /> },
              {
                path: 'carers/invitations/:invitationId/cancel',
                element: <CancelInvitationPage />,
              },
              { path: 'cared-for', element: <PeopleICareForPage /> },
              { path: 'cared-for/:patientId', element: <CaredForPage /> },
              { path: 'cared-for/:patientId/new', element: <CarerComposePage /> },
              { path: 'documents', element: <MyDocumentsPage /> },
              { path: 'documents/upload', element: <MyUploadPage /> },
              { path: 'cared-for/:patientId/documents', element: <CaredForDocumentsPage /> },
              { path: 'cared-for/:patientId/documents/upload', element: <CaredForUploadPage /> },
              { path: 'appointments', element: <MyAppointmentsPage /> },
              {
                path: 'appointments/:appointmentId/ask-to-change',
                element: <AskToChangePage kind="change" />,
              },
              {
                path: 'appointments/:appointmentId/ask-to-cancel',
                element: <AskToChangePage kind="cancel" />,
              },
              { path: 'cared-for/:patientId/appointments', element: <CaredForAppointmentsPage /> },
            ],
          },
          {
            element: <RequireStaff />,
            children: [
              { path: 'inbox', element: <InboxChooserPage /> },
              { path: 'inbox/:teamId', element: <TeamInboxPage /> },
              // Charts are loaded only by the pages that draw them.
              {
                path: 'inbox/:teamId/workload',
                lazy: async () => ({
                  Component: (await import('../features/workload/TeamWorkloadPage'))
                    .TeamWorkloadPage,
                }),
              },
              { path: 'conversations/:conversationId/add-people', element: <AddPeoplePage /> },
              { path: 'settings/notifications', element: <NotificationSettingsPage /> },
              { path: 'patients/find', element: <FindPatientPage /> },
              { path: 'patients/:patientId', element: <PatientRecordPage /> },
              {
                path: 'patients/:patientId/carer-invitations/:invitationId/cancel',
                element: <CancelPaperInvitationPage />,
              },
              {
                path: 'patients/:patientId/carers/paper-form',
                element: <RecordPaperConsentPage />,
              },
              {
                path: 'patients/:patientId/carers/:consentId/end',
                element: <RecordWithdrawalPage />,
              },
              { path: 'break-glass', element: <BreakGlassPage /> },
              {
                path: 'patients/:patientId/conversations/new',
                element: <StartConversationPage />,
              },
              { path: 'patients/:patientId/documents/upload', element: <StaffUploadPage /> },
              {
                path: 'patients/:patientId/appointments/new',
                element: <BookAppointmentPage />,
              },
              { path: 'appointments/:appointmentId/change', element: <ChangeAppointmentPage /> },
              { path: 'appointments/:appointmentId/cancel', element: <CancelAppointmentPage /> },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
