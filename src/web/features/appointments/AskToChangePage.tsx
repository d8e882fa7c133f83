import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { CharacterCount } from '../../components/CharacterCount';
import { ErrorSummary } from '../../components/ErrorSummary';
import { LeaveDialog } from '../../components/LeaveDialog';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { hasUnsentText } from '../../components/unsentText';
import { useUnsentWarning } from '../../components/useUnsentWarning';
import {
  conversationKeys,
  ownConversationChange,
  useIdempotencyKey,
} from '../conversations/useConversations';
import { MAX_MESSAGE } from '../conversations/validation';
import {
  CareEndedPage,
  careEndedSince,
  careEndedTitle,
  useForgetCaredFor,
} from '../carers/CareEnded';
import { useUser } from '../session/useSession';
import {
  appointmentKeys,
  requestAppointmentChange,
  useAppointment,
  type Appointment,
  type ChangeRequestKind,
} from './appointmentsApi';
import { formatWhen } from './appointmentTime';

/** The words of the form; a carer asks about "the" appointment, a patient about "your" one. */
function wordsFor(kind: ChangeRequestKind, whose: 'your' | 'the') {
  return kind === 'change'
    ? {
        title: `Ask to change ${whose} appointment`,
        hint: 'For example, the days or times you can and cannot come.',
        button: 'Send request to change',
      }
    : {
        title: `Ask to cancel ${whose} appointment`,
        hint: 'If you can, tell us why. It helps the team offer the time to someone else.',
        button: 'Send request to cancel',
      };
}

/** Patients and carers ask, in the appointment's own conversation, to change or cancel it. */
export function AskToChangePage({ kind }: { kind: ChangeRequestKind }) {
  const { appointmentId = '' } = useParams();
  const user = useUser();
  const appointment = useAppointment(appointmentId);
  const ended = careEndedSince(appointment.error, appointment.data?.patientId, user);
  usePageTitle(ended ? careEndedTitle('appointment') : wordsFor(kind, 'your').title);
  if (appointment.isPending) return <Loading what="appointment" />;
  if (ended) return <CareEndedPage what="appointment" />;
  if (appointment.isError) return <LoadFailure error={appointment.error} />;
  if (!appointment.data.canAskToChange) return <Closed appointment={appointment.data} />;
  return <AskForm kind={kind} appointment={appointment.data} />;
}

/** Reached from an old link or bookmark once requests are no longer possible. */
function Closed({ appointment }: { appointment: Appointment }) {
  usePageTitle('You cannot ask online any more');
  return (
    <>
      <BackLink to={`/appointments/${appointment.id}`}>Back to the appointment</BackLink>
      <Heading>You cannot ask online any more</Heading>
      <p className="nhsuk-body">
        This appointment can no longer be changed or cancelled online. To change or cancel it, call{' '}
        {appointment.team.name}.
      </p>
    </>
  );
}

const CLOSED_CODES = new Set(['appointment.change_window_closed', 'appointment.not_changeable']);

/** Said when a carer's request was refused because their access had just ended (C1). */
export const CARE_ENDED_REQUEST_NOT_SENT =
  'Your request has not been sent. You can no longer ask about this person’s appointments: your access has been stopped or has reached its last day.';

function AskForm({ kind, appointment }: { kind: ChangeRequestKind; appointment: Appointment }) {
  const user = useUser();
  const whose = appointment.patientId === user.patientId ? 'your' : 'the';
  const words = wordsFor(kind, whose);
  const [message, setMessage] = useState('');
  const errors = useFormErrors();
  const navigate = useNavigate();
  const client = useQueryClient();
  const idempotency = useIdempotencyKey();
  const forgetCaredFor = useForgetCaredFor();
  const unsent = useUnsentWarning(hasUnsentText([message]));
  usePageTitle(words.title, errors.hasErrors);
  const back = `/appointments/${appointment.id}`;

  const send = useMutation({
    mutationFn: (input: { key: string; message: string }) =>
      requestAppointmentChange(appointment.id, { kind, message: input.message }, input.key),
    // Her own request changes the appointment's conversation: not news to announce to her.
    meta: ownConversationChange,
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: appointmentKeys.all }),
        client.invalidateQueries({ queryKey: conversationKeys.all }),
      ]),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const text = message.trim();
    if (!text) return errors.show([{ href: 'message', message: 'Enter what you would like' }]);
    if (message.length > MAX_MESSAGE)
      return errors.show([
        { href: 'message', message: 'Your message must be 10,000 characters or fewer' },
      ]);
    const key = idempotency.keyFor({ kind, text });
    send.mutate(
      { key, message: text },
      {
        onSuccess: ({ conversationId }) => {
          idempotency.reset();
          unsent.markSent();
          void navigate(`/conversations/${conversationId}`, {
            state: {
              flash: `Your request to ${kind} ${whose} appointment has been sent. The appointments team will reply here.`,
            },
          });
        },
        onError: (error) => {
          if (whose === 'the' && careEndedSince(error, appointment.patientId, user)) {
            // Access ended while they wrote: what they wrote stays on the page to keep.
            forgetCaredFor();
            errors.show([{ href: null, message: CARE_ENDED_REQUEST_NOT_SENT }]);
          } else if (error instanceof ApiError && CLOSED_CODES.has(error.code)) {
            errors.show([
              {
                href: null,
                message:
                  'You can no longer ask online to change or cancel this appointment. Call the team instead.',
              },
            ]);
          } else if (error instanceof ApiError && error.status === 0) {
            errors.show([
              {
                href: null,
                message:
                  'Your request may not have been sent. Check your connection, then send it again: it will not be sent twice.',
              },
            ]);
          } else {
            errors.showApiError(error, (field) => (field === 'message' ? 'message' : null));
          }
        },
      },
    );
  };

  return (
    <>
      <BackLink to={back}>Back to the appointment</BackLink>
      <LeaveDialog blocker={unsent.blocker} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={`${appointment.team.name}, ${formatWhen(appointment.startsAt)}`}>
            {words.title}
          </Heading>
          <p className="nhsuk-body">
            Your request goes to the appointments team as a secure message. The appointment stays as
            it is until they reply.
          </p>
          <form noValidate onSubmit={onSubmit}>
            <CharacterCount
              id="message"
              label="What would you like?"
              labelClassName="nhsuk-label--m"
              hint={words.hint}
              value={message}
              onChange={setMessage}
              maxLength={MAX_MESSAGE}
              rows={5}
              error={errors.fields.message}
            />
            <button className="nhsuk-button" type="submit" disabled={send.isPending}>
              {words.button}
            </button>
          </form>
        </div>
      </div>
    </>
  );
}
