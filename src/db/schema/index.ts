export * from './core';
export * from './cases';
