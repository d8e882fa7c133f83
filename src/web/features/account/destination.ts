import { useLocation } from 'react-router';

/** Where the person was heading before sign-in or set-up got in the way: a local path, else home. */
export function useReturnTo(): string {
  const from = (useLocation().state as { from?: string } | null)?.from;
  return from && from.startsWith('/') && !from.startsWith('//') ? from : '/';
}
