import { createBrowserRouter } from 'react-router';
import { AppLayout } from '../components/AppLayout';
import { MembersPage } from '../features/members/MembersPage';
import { NewProfessionalPage } from '../features/members/NewProfessionalPage';
import { RemoveMemberPage } from '../features/members/RemoveMemberPage';
import { EscalationPathwayPage } from '../features/pathway/EscalationPathwayPage';
import { RequireCoordinator, RequireSession } from '../features/session/RequireSession';
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
            ],
          },
          { path: 'teams/:teamId', element: <TeamPage /> },
          { path: 'teams/:teamId/members', element: <MembersPage /> },
          { path: 'teams/:teamId/members/new', element: <NewProfessionalPage /> },
          {
            path: 'teams/:teamId/members/:professionalId/remove',
            element: <RemoveMemberPage />,
          },
          { path: 'teams/:teamId/escalation-pathway', element: <EscalationPathwayPage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
