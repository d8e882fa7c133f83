/**
 * Whether a message form holds something the person would lose by leaving: any text field
 * with more than spaces in it, or a file chosen (attached, or still uploading).
 */
export function hasUnsentText(texts: readonly string[], filesChosen = false): boolean {
  return filesChosen || texts.some((text) => text.trim() !== '');
}

/**
 * Whether leaving for `to` should be asked about first. Not once the message is sent (the
 * page then goes to the thread), nor once the session has ended: the person is being taken
 * to sign in and must not be held on a page that can no longer send. A move within the page
 * (its query or a `#` link) keeps what is written, so only another path counts.
 */
export function shouldAskBeforeLeaving(facts: {
  unsent: boolean;
  sent: boolean;
  signedIn: boolean;
  from: string;
  to: string;
}): boolean {
  return facts.unsent && !facts.sent && facts.signedIn && facts.from !== facts.to;
}
