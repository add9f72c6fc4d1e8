import { Link, useRouteError } from 'react-router';

/** A page that failed to render or load (or does not exist) still shows the way back. */
export function RouteError({ notFound = false }: { notFound?: boolean }) {
  const error = useRouteError();
  return (
    <section className="page" role="alert">
      <h1>{notFound ? 'Page not found' : 'This page failed to load'}</h1>
      {!notFound && <p>{error instanceof Error ? error.message : 'Reload the page to try again.'}</p>}
      <Link to="/">Back to the overview</Link>
    </section>
  );
}
