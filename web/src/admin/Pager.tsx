// Previous / next over a list the server pages with offset and limit (users, the retention queue).
export function Pager(props: {
  offset: number;
  shown: number;
  total: number;
  pageSize: number;
  load: (offset: number) => void;
}) {
  const { offset, shown, total, pageSize, load } = props;
  if (total <= pageSize) return null;
  return (
    <div className="pager">
      <button type="button" disabled={offset === 0} onClick={() => load(Math.max(0, offset - pageSize))}>
        Previous
      </button>
      <span className="muted">
        {offset + 1}–{offset + shown} of {total}
      </span>
      <button type="button" disabled={offset + pageSize >= total} onClick={() => load(offset + pageSize)}>
        Next
      </button>
    </div>
  );
}
