import { useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AccountRoute } from '../features/auth/routes/account';
import { SignInRoute } from '../features/auth/routes/sign-in';
import { OverviewRoute } from '../features/overview/routes/overview';
import { AppLayout } from './layout';
import { RequireSession } from './require-session';
import { RouteError } from './route-error';

/**
 * The pages. Sign-in and the overview are in the first bundle; the site page (charts) and the rest load when
 * opened, which keeps the first page's JavaScript small.
 */
export const routes = [
  { path: '/sign-in', element: <SignInRoute /> },
  {
    path: '/setup',
    lazy: async () => ({ Component: (await import('../features/setup/routes/setup')).SetupRoute }),
  },
  {
    element: <RequireSession />,
    errorElement: <RouteError />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <OverviewRoute /> },
          { path: 'account', element: <AccountRoute /> },
          {
            path: 'sites/:siteId',
            lazy: async () => ({ Component: (await import('../features/site/routes/site')).SiteRoute }),
          },
          {
            path: 'sites/:siteId/alerts',
            lazy: async () => ({ Component: (await import('../features/alerts/routes/alerts')).AlertsRoute }),
          },
          {
            path: 'sites/:siteId/alert-rules',
            lazy: async () => ({
              Component: (await import('../features/alert-rules/routes/alert-rules')).AlertRulesRoute,
            }),
          },
          {
            path: 'sites/:siteId/devices',
            lazy: async () => ({
              Component: (await import('../features/devices/routes/devices')).DevicesRoute,
            }),
          },
          {
            path: 'models',
            lazy: async () => ({ Component: (await import('../features/models/routes/models')).ModelsRoute }),
          },
          {
            path: 'users',
            lazy: async () => ({ Component: (await import('../features/users/routes/users')).UsersRoute }),
          },
          {
            path: 'audit',
            lazy: async () => ({ Component: (await import('../features/audit/routes/audit')).AuditRoute }),
          },
          {
            path: 'sites/:siteId/camera-setup',
            lazy: async () => ({
              Component: (await import('../features/camera-setup/routes/camera-setup')).CameraSetupRoute,
            }),
          },
          { path: '*', element: <RouteError notFound /> },
        ],
      },
    ],
  },
];

export function AppRouter() {
  const [router] = useState(() => createBrowserRouter(routes));
  return <RouterProvider router={router} />;
}
