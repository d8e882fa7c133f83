import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { DateInput } from '../../components/DateInput';
import {
  dateProblemHref,
  type DateProblem,
  EMPTY_DATE,
  readOptionalDate,
  ukToday,
} from '../../components/dateParts';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Radios, TextInput } from '../../components/fields';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { SectionLoadFailure } from '../../components/ProblemPanel';
import { SuccessBanner } from '../../components/SuccessBanner';
import { Cell, hidden, Row, Table } from '../../components/Table';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDateTime } from '../conversations/format';
import { consentEndWords } from './carerWords';
import { ownConversationChange } from '../conversations/useConversations';
import {
  cancelInvitation,
  type CarerLevel,
  carerKeys,
  inviteCarer,
  LEVEL_LABELS,
  listMyCarers,
  revokeConsent,
} from './carersApi';

const STATUS_LABELS = {
  active: 'Active',
  ended: 'Ended',
  revoked: 'Stopped',
  not_started: 'Not started',
} as const;

const ENDS_ON = 'ends-on';
const FIELD_IDS: Record<string, string> = {
  email: 'email',
  level: 'level',
  endsOn: dateProblemHref(ENDS_ON, 'all'),
};

/** The words for the last day of a carer's access, in NHS.UK style. */
const ENDS_ON_WORDS = {
  invalid: 'Enter the last day as a date, for example 31 3 2027',
  tooEarly: 'The last day must be today or in the future',
};

/** The API's own words for an end date it refuses (a race with midnight), said as ours. */
function inOurWords(error: unknown): unknown {
  if (!(error instanceof ApiError) || !error.problem.errors) return error;
  return new ApiError({
    ...error.problem,
    errors: error.problem.errors.map((problem) =>
      problem.code === 'carer.end_date_invalid'
        ? { ...problem, message: ENDS_ON_WORDS.tooEarly }
        : problem,
    ),
  });
}

/** The patient's carers (C1): invite with a level and an optional end date, see, stop. */
export function CarersPage() {
  const client = useQueryClient();
  const carers = useQuery({ queryKey: carerKeys.mine, queryFn: listMyCarers });
  const errors = useFormErrors();
  const [email, setEmail] = useState('');
  const [level, setLevel] = useState<CarerLevel | null>(null);
  const [endsOn, setEndsOn] = useState(EMPTY_DATE);
  // Which boxes of the date the last problem marked; its words are in errors.fields.
  const [endsOnPart, setEndsOnPart] = useState<DateProblem['part']>('all');
  const [invited, setInvited] = useState<{ email: string; code: string } | null>(null);
  const [done, setDone] = useState<{ message: string; at: number } | null>(null);
  // The code appears above the form: focus goes to it, so it is read out (and found).
  const codePanel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (invited) codePanel.current?.focus();
  }, [invited]);
  usePageTitle('Your carers', errors.hasErrors);
  const endsOnMessage = errors.fields[dateProblemHref(ENDS_ON, endsOnPart)];
  const endsOnError = endsOnMessage ? { part: endsOnPart, message: endsOnMessage } : undefined;

  const refresh = () => client.invalidateQueries({ queryKey: carerKeys.mine });
  const invite = useMutation({ mutationFn: inviteCarer, onSettled: refresh });
  // Stopping a carer takes them out of conversations: the patient's own change, not news.
  const revoke = useMutation({
    mutationFn: revokeConsent,
    meta: ownConversationChange,
    onSettled: refresh,
  });
  const cancel = useMutation({ mutationFn: cancelInvitation, onSettled: refresh });

  const onInvite = (event: React.FormEvent) => {
    event.preventDefault();
    const problems = [];
    if (!email.trim())
      problems.push({ href: 'email', message: 'Enter your carer’s email address' });
    if (!level) problems.push({ href: 'level', message: 'Choose what your carer may do' });
    const last = readOptionalDate(endsOn, { earliest: ukToday(new Date()), ...ENDS_ON_WORDS });
    if (last.problem) {
      setEndsOnPart(last.problem.part);
      problems.push({
        href: dateProblemHref(ENDS_ON, last.problem.part),
        message: last.problem.message,
      });
    }
    if (problems.length > 0) return errors.show(problems);
    invite.mutate(
      { email: email.trim(), level: level!, ...(last.date ? { endsOn: last.date } : {}) },
      {
        onSuccess: (result) => {
          errors.clear();
          setInvited({ email: result.invitation.email, code: result.code });
          setEmail('');
          setLevel(null);
          setEndsOn(EMPTY_DATE);
        },
        onError: (error) => {
          setEndsOnPart('all');
          errors.showApiError(inOurWords(error), (key) => FIELD_IDS[key] ?? null);
        },
      },
    );
  };

  return (
    <>
      <BackLink to="/">Back to your messages</BackLink>
      {done ? <SuccessBanner key={done.at} message={done.message} focus /> : null}
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <Heading>Your carers</Heading>
      <p className="nhsuk-body">
        A carer is someone you trust to read your messages, and if you choose, to send messages for
        you. They sign in with their own account and are always shown as themselves. You can stop a
        carer’s access at any time; it stops straight away.
      </p>

      {invited ? (
        <div className="nhsuk-panel" role="status" tabIndex={-1} ref={codePanel}>
          <h2 className="nhsuk-heading-m">Give your carer this code</h2>
          <p className="nhsuk-body">
            We have emailed {invited.email} to say you have invited them. The email does not contain
            the code: give it to them yourself, in person or by phone. It works once, for 14 days.
          </p>
          <p className="nhsuk-heading-l app-invitation-code" data-testid="invitation-code">
            {invited.code}
          </p>
        </div>
      ) : null}

      <h2 className="nhsuk-heading-m">Carers</h2>
      {carers.isPending ? (
        <Loading what="your carers" />
      ) : carers.isError ? (
        <SectionLoadFailure error={carers.error} what="your carers" />
      ) : carers.data.carers.length === 0 ? (
        <p className="nhsuk-body">You have no carers.</p>
      ) : (
        <Table
          caption="Your carers"
          captionHidden
          headings={['Carer', 'May', 'Until', 'Status', hidden('Action')]}
        >
          {carers.data.carers.map((c) => (
            <Row key={c.id}>
              <Cell heading="Carer">{c.carer.name}</Cell>
              <Cell heading="May">{LEVEL_LABELS[c.level]}</Cell>
              <Cell heading="Until">
                {c.revokedAt
                  ? formatDateTime(c.revokedAt)
                  : c.endsAt
                    ? consentEndWords(c.endsAt)
                    : 'You stop it'}
              </Cell>
              <Cell heading="Status">{STATUS_LABELS[c.status]}</Cell>
              <Cell>
                {c.status === 'active' ? (
                  <button
                    className="nhsuk-button nhsuk-button--warning nhsuk-button--small nhsuk-u-margin-bottom-0"
                    type="button"
                    disabled={revoke.isPending}
                    onClick={() =>
                      revoke.mutate(c.id, {
                        onSuccess: () =>
                          setDone({
                            message: `${c.carer.name} can no longer see your messages`,
                            at: Date.now(),
                          }),
                        onError: (error) => errors.showApiError(error, () => null),
                      })
                    }
                  >
                    Stop access<span className="nhsuk-u-visually-hidden"> for {c.carer.name}</span>
                  </button>
                ) : null}
              </Cell>
            </Row>
          ))}
        </Table>
      )}

      {carers.data && carers.data.invitations.length > 0 ? (
        <>
          <h2 className="nhsuk-heading-m">Invitations waiting to be accepted</h2>
          <Table
            caption="Invitations waiting to be accepted"
            captionHidden
            headings={['Email', 'May', 'Code works until', hidden('Action')]}
          >
            {carers.data.invitations.map((i) => (
              <Row key={i.id}>
                <Cell heading="Email">{i.email}</Cell>
                <Cell heading="May">{LEVEL_LABELS[i.level]}</Cell>
                <Cell heading="Code works until">{formatDateTime(i.expiresAt)}</Cell>
                <Cell>
                  <button
                    className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
                    type="button"
                    disabled={cancel.isPending}
                    onClick={() =>
                      cancel.mutate(i.id, {
                        onSuccess: () =>
                          setDone({ message: 'Invitation cancelled', at: Date.now() }),
                        onError: (error) => errors.showApiError(error, () => null),
                      })
                    }
                  >
                    Cancel<span className="nhsuk-u-visually-hidden"> invitation to {i.email}</span>
                  </button>
                </Cell>
              </Row>
            ))}
          </Table>
        </>
      ) : null}

      <h2 className="nhsuk-heading-m">Invite a carer</h2>
      <form noValidate onSubmit={onInvite}>
        <TextInput
          id="email"
          label="Your carer’s email address"
          type="email"
          autoComplete="off"
          spellCheck={false}
          value={email}
          onChange={setEmail}
          error={errors.fields.email}
        />
        <Radios<CarerLevel>
          id="level"
          legend="What may your carer do?"
          options={[
            { value: 'view', label: LEVEL_LABELS.view },
            { value: 'message', label: LEVEL_LABELS.message },
          ]}
          value={level}
          onChange={setLevel}
          error={errors.fields.level}
        />
        <DateInput
          id={ENDS_ON}
          legend="Last day of access (optional)"
          hint="For example, 31 3 2027. Leave it empty to keep access until you stop it."
          value={endsOn}
          onChange={setEndsOn}
          error={endsOnError}
        />
        <button className="nhsuk-button" type="submit" disabled={invite.isPending}>
          Invite carer
        </button>
      </form>
    </>
  );
}
