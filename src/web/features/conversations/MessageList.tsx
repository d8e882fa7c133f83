import { Link } from 'react-router';
import type { Message } from '../../api/types';
import { MessageAttachments } from '../documents/MessageAttachments';
import { formatDateTime } from './format';

/**
 * The messages of a thread, oldest first. Bodies are plain text: React escapes them and
 * the app-message__body class keeps the writer's line breaks.
 */
export function MessageList({
  messages,
  lastReadSeq,
  removable,
}: {
  messages: Message[];
  lastReadSeq: number;
  /**
   * Which messages offer "Sent in error?": the viewer's own while they may write there, and
   * anyone's to a manager of a team taking part (decision 0021).
   */
  removable?: { conversationId: string; own: boolean; anyone: boolean };
}) {
  if (messages.length === 0) return <p className="nhsuk-body">There are no messages yet.</p>;
  return (
    <ol className="app-messages" aria-label="Messages, oldest first">
      {messages.map((message) => {
        const unread = !message.authorIsMe && message.seq > lastReadSeq;
        return (
          <li
            key={message.id}
            className={`app-message${message.authorIsMe ? ' app-message--mine' : ''}`}
          >
            <h3 className="nhsuk-heading-s app-message__author">
              {message.authorIsMe ? 'You' : message.authorName}
              <span className="nhsuk-u-visually-hidden"> wrote, </span>
              <span className="app-message__time">
                {' '}
                <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
              </span>
              {unread ? (
                <strong className="nhsuk-tag nhsuk-tag--blue app-message__tag">New</strong>
              ) : null}
            </h3>
            {message.enteredInError ? (
              <p className="nhsuk-body app-message__removed">
                {message.enteredInError.by} removed this message on{' '}
                {formatDateTime(message.enteredInError.at)} because it was sent in error.
              </p>
            ) : (
              <p className="nhsuk-body app-message__body">{message.body}</p>
            )}
            <MessageAttachments attachments={message.attachments ?? []} />
            {removable &&
            !message.enteredInError &&
            (removable.anyone || (removable.own && message.authorIsMe)) ? (
              <p className="nhsuk-body-s">
                <Link
                  to={`/conversations/${removable.conversationId}/messages/${message.id}/sent-in-error`}
                >
                  Sent in error?
                  <span className="nhsuk-u-visually-hidden">
                    {' '}
                    Remove{' '}
                    {message.authorIsMe
                      ? 'your message'
                      : `the message ${message.authorName} wrote`}{' '}
                    of {formatDateTime(message.createdAt)}
                  </span>
                </Link>
              </p>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
