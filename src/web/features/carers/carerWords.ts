import { listWords } from '../conversations/format';

/**
 * What the patient is told about their carers and this conversation. Only carers whose consent
 * is in force now (C1) can see it: with none, saying "your carers can see this" is untrue.
 * `carers` is null while they are not known (loading, or the list failed).
 */
export function carersPanelWords(privateFromCarers: boolean, carers: string[] | null): string {
  if (carers === null) {
    return privateFromCarers
      ? 'This conversation is private: your carers cannot see it.'
      : 'Any carers you have can see this conversation unless you make it private.';
  }
  if (carers.length === 0) {
    return privateFromCarers
      ? 'You have no carers. This conversation is private: if you add a carer, they will not see it.'
      : 'You have no carers. If you add one, they will see this conversation unless you make it private.';
  }
  if (privateFromCarers) return 'This conversation is private: your carers cannot see it.';
  return carers.length === 1
    ? `Your carer, ${carers[0]}, can see this conversation.`
    : `Your carers can see this conversation: ${listWords(carers)}.`;
}

/** The success message after the patient changes the conversation's privacy (C1). */
export function privacyChangedWords(privateFromCarers: boolean, carers: string[] | null): string {
  if (privateFromCarers) {
    return carers?.length === 0
      ? 'This conversation is now private from carers'
      : 'This conversation is now private from your carers';
  }
  if (carers === null) return 'This conversation is no longer private from carers';
  return carers.length === 0
    ? 'This conversation is no longer private. If you add a carer, they will see it'
    : 'Your carers can see this conversation again';
}

const ukDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/London' });

/**
 * When a consent with an end stops, as the patient chose it: "The end of 30 June 2027". The
 * server keeps the moment access ends, midnight starting the next UK day, so the day shown is
 * the one before that moment.
 */
export function consentEndWords(endsAt: string): string {
  const end = new Date(endsAt);
  if (Number.isNaN(end.getTime())) return endsAt;
  return `The end of ${ukDate.format(new Date(end.getTime() - 1))}`;
}
