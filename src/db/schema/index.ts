export * from './core';
export * from './giving';
