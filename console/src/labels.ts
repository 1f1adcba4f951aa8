/**
 * The console's Chinese words: one home shared with the API (domain/labels/zh.ts), so a
 * problem's `detail.zh` and the console's labels name a field, a role or an option alike.
 */
export * from '../../domain/labels/zh';
