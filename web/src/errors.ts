/**
 * Human text for a refusal from the server. Specific server messages ("Access
 * denied to this DM.") are kept; generic situations get a sentence that tells
 * the user what to do.
 */
export function describeError(code: string | undefined, serverMessage: string): string {
  switch (code) {
    case 'rate_limited':
      return 'You are sending messages too fast. Please wait a few seconds, then try again.';
    case 'too_large':
      return 'That message is too large to send.';
    case 'not_joined':
      return 'You are not in this channel any more. Open it again to keep chatting.';
    case 'forbidden':
      return serverMessage || 'You are not allowed to do that here.';
    case 'not_found':
      return serverMessage || 'That channel or message does not exist.';
    case 'unauthorized':
      return 'Your session has ended. Please log in again.';
    case 'internal':
      return 'Something went wrong on the server. Please try again.';
    default:
      return serverMessage || 'Something went wrong.';
  }
}

/** Human text for an HTTP status from the API, preferring the server's own message. */
export function describeHttpError(status: number, serverMessage: string, retryAfter?: number): string {
  if (status === 429) {
    const wait = retryAfter !== undefined ? ` Try again in ${retryAfter} s.` : ' Please wait a moment.';
    return `Too many requests.${wait}`;
  }
  return serverMessage;
}
