import type { Line, PathwayTarget } from '../../api/types';
import { TeamsAndPeopleSearch } from '../teams/TeamsAndPeopleSearch';

/** Finds a team or professional in any organisation and adds it to the pathway. */
export function AddStepSearch({
  defaultOrganisationId,
  excludeIds,
  onAdd,
}: {
  defaultOrganisationId: string;
  excludeIds: Set<string>;
  onAdd: (target: PathwayTarget, line: Line) => void;
}) {
  return (
    <TeamsAndPeopleSearch
      heading="Add a team or professional"
      idPrefix="step"
      defaultOrganisationId={defaultOrganisationId}
      defaultOrganisationLabel="This organisation"
      excludeIds={excludeIds}
      describe={(target) => (target.kind === 'professional' ? target.jobTitle : null)}
      actionsHeading="Actions"
      renderAction={(target) => (
        <div className="app-actions">
          {([2, 3] as const).map((line) => (
            <button
              key={line}
              className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
              type="button"
              onClick={() => onAdd(target, line)}
            >
              Add<span className="nhsuk-u-visually-hidden"> {target.name}</span> as{' '}
              {line === 2 ? 'second' : 'third'} line
            </button>
          ))}
        </div>
      )}
    />
  );
}
