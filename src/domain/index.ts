export * from './area.ts';
export * from './authority.ts';
export * from './deadlines.ts';
export * from './errors.ts';
export * from './request.ts';
export * from './result.ts';
export * from './user.ts';
