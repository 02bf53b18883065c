/**
 * A response body as a test reads it: JSON.parse's own type (the assertions that read an
 * answer check it), or undefined when the body is not JSON.
 */
export function parseJson(text: string) {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
