import { fhirAddresses } from './connectedSystems';

/** The addresses a hospital's IT team points its system at, with how to use them. */
export function FhirAddresses() {
  const { fhirBase, metadata, token } = fhirAddresses(window.location.origin);
  return (
    <section aria-labelledby="fhir-addresses-heading">
      <h2 className="nhsuk-heading-m" id="fhir-addresses-heading">
        For your IT team
      </h2>
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">FHIR base address</dt>
          <dd className="nhsuk-summary-list__value">
            <code className="app-break-word">{fhirBase}</code>
          </dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Token address</dt>
          <dd className="nhsuk-summary-list__value">
            <code className="app-break-word">{token}</code>
          </dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">What the API offers</dt>
          <dd className="nhsuk-summary-list__value">
            <code className="app-break-word">{metadata}</code>
          </dd>
        </div>
      </dl>
      <p className="nhsuk-body">
        The API is FHIR R4 and read only. A system gets an access token from the token address with
        the OAuth 2 client credentials grant, sending its client id and secret with HTTP Basic
        authentication. Tokens last 5 minutes.
      </p>
      <p className="nhsuk-body">
        To find a patient by NHS number, the system sends <code>POST Patient/_search</code> with a
        form body such as{' '}
        <code className="app-break-word">
          {'identifier=https://fhir.nhs.uk/Id/nhs-number|<NHS number>'}
        </code>
        . This keeps NHS numbers out of web addresses.
      </p>
    </section>
  );
}
