import { TextInput } from '../../components/fields';

/** The witness field's id, where the API's `witnessedBy` problems land. */
export const WITNESS = 'witnessed-by';

/**
 * Who witnessed the patient sign a paper form, or ask for a consent to end: staff act for
 * the patient only with a witness, whom the audit names (C1, C4).
 */
export function WitnessField({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  return (
    <TextInput
      id={WITNESS}
      label={label}
      hint="Their name and role, for example Sister Jones, ward 7. The record’s audit keeps it."
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}
