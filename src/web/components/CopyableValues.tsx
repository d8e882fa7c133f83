import { useState } from 'react';
import { hidden } from './Table';

export interface CopyableValue {
  id: string;
  label: string;
  value: string;
}

/** Values to copy, each with its button; one status line says what was copied. */
export function CopyableValues({ items }: { items: CopyableValue[] }) {
  const [status, setStatus] = useState('');
  const copy = async (item: CopyableValue) => {
    try {
      await navigator.clipboard.writeText(item.value);
      setStatus(`${item.label} copied`);
    } catch {
      // Without the clipboard, select it so that the person can copy it themselves.
      const node = document.getElementById(item.id);
      const selection = window.getSelection();
      if (node && selection) {
        const range = document.createRange();
        range.selectNodeContents(node);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setStatus(
        `Your browser did not allow copying. The ${item.label.toLowerCase()} is selected: copy it yourself.`,
      );
    }
  };
  return (
    <>
      <dl className="nhsuk-summary-list nhsuk-u-margin-bottom-2">
        {items.map((item) => (
          <div className="nhsuk-summary-list__row" key={item.id}>
            <dt className="nhsuk-summary-list__key">{item.label}</dt>
            <dd className="nhsuk-summary-list__value">
              <code className="app-break-word" id={item.id}>
                {item.value}
              </code>
            </dd>
            <dd className="nhsuk-summary-list__actions">
              <button
                type="button"
                className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
                onClick={() => void copy(item)}
              >
                Copy{hidden(` ${item.label.toLowerCase()}`)}
              </button>
            </dd>
          </div>
        ))}
      </dl>
      <p className="nhsuk-body" role="status">
        {status}
      </p>
    </>
  );
}
