import { Link } from 'react-router';
import type { MessageAttachment } from '../../api/types';
import { contentUrl } from './documentsApi';
import { formatSize, statusWords } from './documentWords';
import './documents.scss';

/** The files sent with a message, each with its download (or why it cannot be opened). */
export function MessageAttachments({ attachments }: { attachments: MessageAttachment[] }) {
  if (attachments.length === 0) return null;
  return (
    <ul className="app-attachments" aria-label="Attached files">
      {attachments.map((a) =>
        a.status === 'entered_in_error' ? (
          <li className="app-attachments__item" key={a.id}>
            A file removed from the record
          </li>
        ) : (
          <li className="app-attachments__item" key={a.id}>
            <Link to={`/documents/${a.id}`} className="app-break-word">
              {a.title}
            </Link>{' '}
            <span className="nhsuk-body-s">({formatSize(a.sizeBytes)})</span>
            {a.status === 'available' ? (
              <>
                {' '}
                <a href={contentUrl(a.id)} download>
                  Download<span className="nhsuk-u-visually-hidden"> {a.title}</span>
                </a>
              </>
            ) : (
              <span className="nhsuk-body-s">
                {' '}
                – {statusWords({ status: a.status, rejectionCode: null })}
              </span>
            )}
          </li>
        ),
      )}
    </ul>
  );
}
