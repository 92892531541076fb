/**
 * What just happened, above a page's content: a confirmation (status) and/or a failure (alert);
 * `errorId` names the alert for fields that refer to it.
 */
export function Flash(props: { ok?: string | null; error?: string | null; errorId?: string }) {
  return (
    <>
      {props.error ? (
        <p class="error" role="alert" id={props.errorId}>
          {props.error}
        </p>
      ) : null}
      {props.ok ? (
        <p class="ok" role="status">
          {props.ok}
        </p>
      ) : null}
    </>
  );
}
