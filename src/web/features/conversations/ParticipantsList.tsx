import type { ConversationDetail, Participant } from '../../api/types';

const KIND_LABELS: Record<Participant['kind'], string> = {
  patient: 'Patient',
  team: 'Team',
  professional: 'Individual',
  carer: 'Carer',
};

/** Who is in the conversation, as the server presents them to this viewer. */
export function ParticipantsList({
  conversation,
  isPatient,
}: {
  conversation: ConversationDetail;
  isPatient: boolean;
}) {
  const active = conversation.participants.filter((p) => p.active);
  const left = conversation.participants.filter((p) => !p.active);
  // A patient hears who they are writing to; their own entry adds nothing.
  const shown = isPatient ? active.filter((p) => p.kind !== 'patient') : active;
  return (
    <>
      <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-2" id="participants-heading">
        {isPatient ? 'Who can read and reply' : 'People in this conversation'}
      </h2>
      <ul className="nhsuk-list nhsuk-list--bullet" aria-labelledby="participants-heading">
        {shown.map((p) => (
          <li key={`${p.kind}-${p.id}`}>
            {p.name}
            {p.detail ? `, ${p.detail}` : null}
            {isPatient ? null : ` (${KIND_LABELS[p.kind]})`}
          </li>
        ))}
      </ul>
      {!isPatient && left.length > 0 ? (
        <p className="nhsuk-body-s">
          No longer in this conversation: {left.map((p) => p.name).join(', ')}
        </p>
      ) : null}
    </>
  );
}
