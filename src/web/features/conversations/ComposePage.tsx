import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { createConversation } from '../../api/endpoints';
import type { MyRecipients, Recipient } from '../../api/types';
import { BackLink } from '../../components/BackLink';
import { CharacterCount } from '../../components/CharacterCount';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { Checkboxes, TextInput, type CheckboxOption } from '../../components/fields';
import { LeaveDialog } from '../../components/LeaveDialog';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { hasUnsentText } from '../../components/unsentText';
import { useUnsentWarning } from '../../components/useUnsentWarning';
import { AttachmentPicker } from '../documents/AttachmentPicker';
import { useAttachments } from '../documents/useAttachments';
import { ChosenTeamUnavailable } from '../public-team/ChosenTeamUnavailable';
import { closedNow, UrgentHelpCard } from '../public-team/UrgentHelpCard';
import { useUser } from '../session/useSession';
import { listWords } from './format';
import { showNewMessageError } from './newMessageErrors';
import { useConversationMutation, useIdempotencyKey, useMyRecipients } from './useConversations';
import { MAX_MESSAGE, messageProblem, subjectProblem } from './validation';

/** A patient writes to the teams and people they may contact directly (M1). */
export function ComposePage() {
  const recipients = useMyRecipients();
  usePageTitle('Send a new message');
  if (recipients.isPending) return <Loading />;
  if (recipients.isError) return <LoadFailure error={recipients.error} />;
  return <ComposeForm recipients={recipients.data} />;
}

// Checkbox values carry the kind, so a team and a person can never be confused.
const teamValue = (id: string) => `team:${id}`;
const professionalValue = (id: string) => `professional:${id}`;

function toRecipient(value: string): Recipient {
  const [kind, id = ''] = value.split(':');
  return kind === 'team' ? { teamId: id } : { professionalId: id };
}

function ComposeForm({ recipients }: { recipients: MyRecipients }) {
  // "Message us securely" on a team's web page arrives with ?team=<slug>.
  const [searchParams] = useSearchParams();
  // Addresses are lower case; a hand-typed or printed link may not be.
  const wantedSlug = searchParams.get('team')?.toLowerCase();
  const wanted = recipients.teams.find((t) => t.slug === wantedSlug);
  const [to, setTo] = useState<string[]>(() => (wanted ? [teamValue(wanted.id)] : []));
  // Opening hours (issue 8): chosen teams that are closed now, told before sending.
  const closed = closedNow(recipients.teams, (id) => to.includes(teamValue(id)));
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  // Files upload into the patient's record first; the new message then names them.
  const attachments = useAttachments('attachment');
  const user = useUser();
  const errors = useFormErrors();
  const navigate = useNavigate();
  const idempotency = useIdempotencyKey();
  const unsent = useUnsentWarning(hasUnsentText([subject, body], attachments.chosen));
  usePageTitle('Send a new message', errors.hasErrors);

  const options: CheckboxOption[] = [
    ...recipients.teams.map((t) => ({
      value: teamValue(t.id),
      label: t.name,
      hint: t.description || t.organisationName,
    })),
    ...recipients.professionals.map((p) => ({
      value: professionalValue(p.id),
      label: p.name,
      hint: `${p.jobTitle}, ${p.teamName}`,
    })),
  ];
  const names = new Map<string, string>([
    ...recipients.teams.map((t) => [teamValue(t.id), t.name] as const),
    ...recipients.professionals.map((p) => [professionalValue(p.id), p.name] as const),
  ]);

  const send = useConversationMutation(
    (input: { key: string; payload: Parameters<typeof createConversation>[0] }) =>
      createConversation(input.payload, input.key),
  );

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const list: SummaryError[] = [];
    if (to.length === 0)
      list.push({ href: 'recipients', message: 'Select who you want to send your message to' });
    else if (to.length > 10)
      list.push({ href: 'recipients', message: 'Select up to 10 teams or people' });
    const subjectError = subjectProblem(subject);
    if (subjectError) list.push({ href: 'subject', message: subjectError });
    const bodyError = messageProblem(body, 'message');
    if (bodyError) list.push({ href: 'body', message: bodyError });
    if (attachments.problem) list.push(attachments.problem);
    if (list.length) return errors.show(list);

    const payload = {
      subject: subject.trim(),
      body: body.trim(),
      recipients: to.map(toRecipient),
      ...attachments.payload,
    };
    send.mutate(
      { key: idempotency.keyFor(payload), payload },
      {
        onSuccess: (conversation) => {
          idempotency.reset();
          unsent.markSent();
          const sentTo = listWords(to.map((v) => names.get(v) ?? '').filter(Boolean));
          void navigate(`/conversations/${conversation.id}`, {
            state: { flash: `Your message has been sent to ${sentTo}` },
          });
        },
        onError: (error) => showNewMessageError(errors, error, 'recipients'),
      },
    );
  };

  return (
    <>
      <BackLink to="/">Back to your messages</BackLink>
      <LeaveDialog blocker={unsent.blocker} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading>Send a new message</Heading>
          {wantedSlug && !wanted ? <ChosenTeamUnavailable slug={wantedSlug} /> : null}
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>
              Do not use messages for urgent problems. If you need help now, call 111. In an
              emergency, call 999.
            </p>
          </div>
          {options.length === 0 ? (
            <p className="nhsuk-body">
              There is no one you can send a message to yet. Your care teams will appear here when
              they can receive messages from you.
            </p>
          ) : (
            <form noValidate onSubmit={onSubmit}>
              <Checkboxes
                id="recipients"
                legend="Who do you want to send your message to?"
                legendClassName="nhsuk-fieldset__legend--m"
                hint="Select all that apply"
                options={options}
                values={to}
                onChange={setTo}
                error={errors.fields.recipients}
              />
              <TextInput
                id="subject"
                label="Subject"
                labelClassName="nhsuk-label--m"
                hint="A few words about what your message is about, for example, Question about my new tablets"
                value={subject}
                onChange={setSubject}
                error={errors.fields.subject}
              />
              <CharacterCount
                id="body"
                label="Your message"
                labelClassName="nhsuk-label--m"
                hint="Include anything the team needs to know to help you."
                value={body}
                onChange={setBody}
                maxLength={MAX_MESSAGE}
                error={errors.fields.body}
              />
              {user.patientId ? (
                <AttachmentPicker {...attachments.picker} patientId={user.patientId} />
              ) : null}
              {/* Always on the page, so a screen reader hears the card when a closed team is
                  ticked: it appears far below the box that was ticked. */}
              <div aria-live="polite">
                <UrgentHelpCard closed={closed} id="closed-notice" />
              </div>
              <button className="nhsuk-button" type="submit" disabled={send.isPending}>
                Send message
              </button>
            </form>
          )}
        </div>
      </div>
    </>
  );
}
