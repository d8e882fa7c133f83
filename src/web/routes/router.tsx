import { createBrowserRouter } from 'react-router';
import { AppLayout } from '../components/AppLayout';
import { MembersPage } from '../features/members/MembersPage';
import { NewProfessionalPage } from '../features/members/NewProfessionalPage';
import { RemoveMemberPage } from '../features/members/RemoveMemberPage';
import { EscalationPathwayPage } from '../features/pathway/EscalationPathwayPage';
import { AccessLogPage } from '../features/conversations/AccessLogPage';
import { AddPeoplePage } from '../features/conversations/AddPeoplePage';
import { ComposePage } from '../features/conversations/ComposePage';
import { ConversationPage } from '../features/conversations/ConversationPage';
import { LeaveConversationPage } from '../features/conversations/LeaveConversationPage';
import { MyConversationsPage } from '../features/conversations/MyConversationsPage';
import { ClearMailboxPage } from '../features/mailbox/ClearMailboxPage';
import { MailboxPage } from '../features/mailbox/MailboxPage';
import { DeadLettersPage } from '../features/notifications/DeadLettersPage';
import { NotificationSettingsPage } from '../features/notifications/NotificationSettingsPage';
import { InboxChooserPage, TeamInboxPage } from '../features/inbox/TeamInboxPage';
import { PatientRecordPage } from '../features/patients/PatientRecordPage';
import { StartConversationPage } from '../features/patients/StartConversationPage';
import {
  RequireCoordinator,
  RequireMessaging,
  RequirePatient,
  RequireSession,
  RequireStaff,
} from '../features/session/RequireSession';
import { SignInPage } from '../features/session/SignInPage';
import { NewTeamPage } from '../features/teams/NewTeamPage';
import { TeamPage } from '../features/teams/TeamPage';
import { TeamsListPage } from '../features/teams/TeamsListPage';
import { HomePage } from './HomePage';
import { NotFoundPage } from './NotFoundPage';
import { RouteError } from './RouteError';

export const router = createBrowserRouter([
  {
    element: <AppLayout />,
    errorElement: <RouteError />,
    children: [
      { path: 'sign-in', element: <SignInPage /> },
      {
        element: <RequireSession />,
        children: [
          { index: true, element: <HomePage /> },
          {
            element: <RequireCoordinator />,
            children: [
              { path: 'teams', element: <TeamsListPage /> },
              { path: 'teams/new', element: <NewTeamPage /> },
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
            ],
          },
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
            ],
          },
          {
            element: <RequirePatient />,
            children: [
              { path: 'messages/new', element: <ComposePage /> },
              { path: 'access-log', element: <AccessLogPage /> },
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
              { path: 'patients/:patientId', element: <PatientRecordPage /> },
              {
                path: 'patients/:patientId/conversations/new',
                element: <StartConversationPage />,
              },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
