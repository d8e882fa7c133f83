import type { FastifyReply } from 'fastify';
import { fhirError } from './fhir.outcome';

interface Address {
  pattern: string;
  methods: Set<string>;
}

/** Whether a path is at a route's address: the same segments, a parameter taking any one. */
function isAt(path: string, pattern: string): boolean {
  const parts = path.split('/');
  const wanted = pattern.split('/');
  return (
    parts.length === wanted.length &&
    wanted.every((part, i) => (part.startsWith(':') ? parts[i] !== '' : part === parts[i]))
  );
}

/**
 * The methods each address of the facade answers, learnt from its routes as they are added, so
 * that a method it does not answer at an address it serves (DELETE Patient/<id>, say) is 405
 * with an Allow header rather than the 404 of an address that is not there. HEAD is left out:
 * the facade refuses it wherever a read would be audited.
 */
export function methodTable() {
  const addresses = new Map<string, Address>();
  return {
    add(url: string, method: string | string[]): void {
      const address = addresses.get(url) ?? { pattern: url, methods: new Set<string>() };
      for (const each of [method].flat()) if (each !== 'HEAD') address.methods.add(each);
      addresses.set(url, address);
    },

    /** The methods answered at a path; where a fixed address matches, it alone (as routing does). */
    allowed(url: string): string[] {
      const path = url.split('?', 1)[0] ?? '';
      const matching = [...addresses.values()].filter((address) => isAt(path, address.pattern));
      const exact = matching.filter((address) => address.pattern === path);
      const methods = new Set((exact.length > 0 ? exact : matching).flatMap((a) => [...a.methods]));
      return [...methods].sort();
    },
  };
}

/** The 405 for a method not answered where others are, with the Allow header RFC 9110 asks for. */
export function methodNotAllowed(reply: FastifyReply, allowed: string[]) {
  const methods = allowed.join(', ');
  void reply.header('allow', methods);
  return fhirError(405, 'fhir.method_not_allowed', `Use ${methods} here.`);
}
