import type { Line, PathwayStep } from '../../api/types';
import { Select } from '../../components/fields';
import { Cell, hidden, Row, Table } from '../../components/Table';
import type { FieldErrors } from '../../components/useFormErrors';
import { InactiveStepTag, isInactive } from './InactiveStepTag';

const SMALL_SECONDARY =
  'nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0';

const LINE_OPTIONS: { value: '2' | '3'; label: string }[] = [
  { value: '2', label: 'Second line' },
  { value: '3', label: 'Third line' },
];

export function StepsTable({
  steps,
  canEdit,
  errors,
  onMove,
  onRemove,
  onLine,
}: {
  steps: PathwayStep[];
  canEdit: boolean;
  errors: FieldErrors;
  onMove: (index: number, by: -1 | 1) => void;
  onRemove: (index: number) => void;
  onLine: (index: number, line: Line) => void;
}) {
  return (
    <Table
      caption="Escalation pathway steps, in order"
      captionHidden
      headings={[
        'Position',
        'Team or professional',
        'Line',
        ...(canEdit ? [hidden('Actions')] : []),
      ]}
    >
      {steps.map((step, index) => {
        const { target } = step;
        const id = `step-${target.id}`;
        const error = errors[`${id}-line`];
        return (
          <Row key={`${target.kind}-${target.id}`}>
            <Cell heading="Position">{index + 1}</Cell>
            <Cell heading="Team or professional">
              <span className="nhsuk-u-font-weight-bold">{target.name}</span>
              <br />
              {target.kind === 'team' ? 'Team' : target.jobTitle}, {target.organisationName}
              {isInactive(step) ? (
                <>
                  <br />
                  <InactiveStepTag step={step} />
                </>
              ) : null}
            </Cell>
            <Cell heading="Line">
              {canEdit ? (
                <div className={error ? 'nhsuk-form-group--error' : undefined}>
                  <Select
                    id={`${id}-line`}
                    label={<span className="nhsuk-u-visually-hidden">Line for {target.name}</span>}
                    options={LINE_OPTIONS}
                    value={String(step.line) as '2' | '3'}
                    onChange={(value) => onLine(index, Number(value) as Line)}
                    error={error}
                    formGroup={false}
                  />
                </div>
              ) : step.line === 2 ? (
                'Second line'
              ) : (
                'Third line'
              )}
            </Cell>
            {canEdit ? (
              <Cell>
                <div className="app-actions">
                  {index > 0 ? (
                    <button
                      id={`${id}-up`}
                      className={SMALL_SECONDARY}
                      type="button"
                      onClick={() => onMove(index, -1)}
                    >
                      Move up<span className="nhsuk-u-visually-hidden"> {target.name}</span>
                    </button>
                  ) : null}
                  {index < steps.length - 1 ? (
                    <button
                      id={`${id}-down`}
                      className={SMALL_SECONDARY}
                      type="button"
                      onClick={() => onMove(index, 1)}
                    >
                      Move down<span className="nhsuk-u-visually-hidden"> {target.name}</span>
                    </button>
                  ) : null}
                  <button
                    className="nhsuk-button nhsuk-button--warning nhsuk-button--small nhsuk-u-margin-bottom-0"
                    type="button"
                    onClick={() => onRemove(index)}
                  >
                    Remove<span className="nhsuk-u-visually-hidden"> {target.name}</span>
                  </button>
                </div>
              </Cell>
            ) : null}
          </Row>
        );
      })}
    </Table>
  );
}
