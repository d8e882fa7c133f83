import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { SectionLoadFailure } from '../../components/ProblemPanel';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { Cell, hidden, Row, Table } from '../../components/Table';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDateTime } from '../conversations/format';
import { consentEndWords } from './carerWords';
import { InviteCarerFields, useInviteCarerFields } from './InviteCarerFields';
import { carerKeys, inviteCarer, LEVEL_LABELS, listMyCarers } from './carersApi';

const STATUS_LABELS = {
  active: 'Active',
  ended: 'Ended',
  revoked: 'Stopped',
  not_started: 'Not started',
} as const;

/** The patient's carers (C1): invite with a level and an optional end date, see, stop. */
export function CarersPage() {
  const client = useQueryClient();
  const carers = useQuery({ queryKey: carerKeys.mine, queryFn: listMyCarers });
  const errors = useFormErrors();
  const fields = useInviteCarerFields(errors, {
    emailMissing: 'Enter your carer’s email address',
    levelMissing: 'Choose what your carer may do',
  });
  const [invited, setInvited] = useState<{ email: string; code: string } | null>(null);
  // The code appears above the form: focus goes to it, so it is read out (and found).
  const codePanel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (invited) codePanel.current?.focus();
  }, [invited]);
  // After stopping a carer's access or cancelling an invitation on its own page, what happened.
  const flash = flashFrom(useLocation().state);
  usePageTitle('Your carers', errors.hasErrors);

  const refresh = () => client.invalidateQueries({ queryKey: carerKeys.mine });
  const invite = useMutation({ mutationFn: inviteCarer, onSettled: refresh });

  const onInvite = (event: React.FormEvent) => {
    event.preventDefault();
    const { input, problems } = fields.read();
    if (!input) return errors.show(problems);
    invite.mutate(input, {
      onSuccess: (result) => {
        errors.clear();
        setInvited({ email: result.invitation.email, code: result.code });
        fields.reset();
      },
      onError: (error) => fields.showApiError(error),
    });
  };

  return (
    <>
      <BackLink to="/">Back to your messages</BackLink>
      {flash && !invited ? <SuccessBanner message={flash} /> : null}
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
                  <Link to={`/carers/${c.id}/stop`}>
                    Stop access<span className="nhsuk-u-visually-hidden"> for {c.carer.name}</span>
                  </Link>
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
                  {/* It asks first, as stopping a carer's access does: the code stops working. */}
                  <Link to={`/carers/invitations/${i.id}/cancel`}>
                    Cancel<span className="nhsuk-u-visually-hidden"> invitation to {i.email}</span>
                  </Link>
                </Cell>
              </Row>
            ))}
          </Table>
        </>
      ) : null}

      <h2 className="nhsuk-heading-m">Invite a carer</h2>
      <form noValidate onSubmit={onInvite}>
        <InviteCarerFields
          fields={fields}
          errors={errors}
          emailLabel="Your carer’s email address"
          levelLegend="What may your carer do?"
          endsOnHint="For example, 31 3 2027. Leave it empty to keep access until you stop it."
        />
        <button className="nhsuk-button" type="submit" disabled={invite.isPending}>
          Invite carer
        </button>
      </form>
    </>
  );
}
