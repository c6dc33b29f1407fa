/** Tag on every stack of the toolkit (and so on their resources); the audit finds keys and stacks by it. */
export const MANAGED_BY_TAG = { key: 'hardening:managed-by', value: 'cdk-hardening' } as const;

/** Tag that marks a stateful resource for the backup plan (BAK-VAULTLOCK selects by it). */
export const BACKUP_TAG = { key: 'hardening:backup', value: 'required' } as const;

/** Tag naming the data class a PII resource holds. */
export const DATA_CLASS_TAG_KEY = 'hardening:data-class';
