import { Caption1, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  details: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  summary: { cursor: 'pointer' },
});

/** The technical side of an error (status, code, endpoint), folded away under the buyer's message. */
export function ErrorDetail({ detail }: { detail?: string }) {
  const styles = useStyles();
  if (!detail) return null;
  return (
    <details className={styles.details} data-testid="error-detail">
      <summary className={styles.summary}>
        <Caption1>Technical details, for your administrator</Caption1>
      </summary>
      <Caption1>{detail}</Caption1>
    </details>
  );
}
