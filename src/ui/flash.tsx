/** What just happened, above a page's content: a confirmation (status) and/or a failure (alert). */
export function Flash(props: { ok?: string | null; error?: string | null }) {
  return (
    <>
      {props.error ? (
        <p class="error" role="alert">
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
