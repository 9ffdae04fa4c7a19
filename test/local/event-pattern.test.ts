/** The matcher against the examples of the EventBridge User Guide's "Event patterns" pages. */
import { InvalidEventPatternError, matchesEventPattern } from '../../local/event-pattern';

const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 12,
    sourceIPAddress: '10.0.0.123',
  },
};

describe('matchesEventPattern', () => {
  test.each<[string, unknown, boolean]>([
    ['exact values', { source: ['aws.ec2'], detail: { state: ['terminated'] } }, true],
    ['any of several values', { detail: { state: ['running', 'terminated'] } }, true],
    ['a value that differs', { detail: { state: ['running'] } }, false],
    ['a field the event lacks', { detail: { zone: ['a'] } }, false],
    ['prefix', { time: [{ prefix: '2017-12-22' }] }, true],
    ['prefix that differs', { time: [{ prefix: '2018' }] }, false],
    ['prefix ignoring case', { source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] }, true],
    ['suffix', { detail: { 'instance-id': [{ suffix: 'def0' }] } }, true],
    [
      'equals-ignore-case',
      { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
      true,
    ],
    ['anything-but a value', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
    ['anything-but the value', { detail: { state: [{ 'anything-but': 'terminated' }] } }, false],
    ['anything-but a list', { detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } }, false],
    ['anything-but a prefix', { detail: { state: [{ 'anything-but': { prefix: 'term' } }] } }, false],
    ['anything-but a suffix', { detail: { state: [{ 'anything-but': { suffix: 'ing' } }] } }, true],
    ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, true],
    ['numeric range missed', { detail: { 'c-count': [{ numeric: ['>', 5] }] } }, false],
    ['numeric equality', { detail: { 'c-count': [{ numeric: ['=', 5] }] } }, true],
    ['exists true', { detail: { state: [{ exists: true }] } }, true],
    ['exists false on a present field', { detail: { state: [{ exists: false }] } }, false],
    ['exists false on an absent field', { detail: { errorCode: [{ exists: false }] } }, true],
    ['exists true on an object is no match: exists works on leaves', { detail: [{ exists: true }] }, false],
    [
      'an array in the event matches on any element',
      { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] },
      true,
    ],
    ['cidr', { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, true],
    ['cidr missed', { detail: { sourceIPAddress: [{ cidr: '10.0.1.0/24' }] } }, false],
    ['wildcard', { resources: [{ wildcard: 'arn:aws:ec2:*:instance/*' }] }, true],
    ['wildcard missed', { resources: [{ wildcard: 'arn:aws:s3:*' }] }, false],
    [
      '$or, one side true',
      { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['<', 20] }] }] } },
      true,
    ],
    [
      '$or, both false',
      { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['>', 20] }] }] } },
      false,
    ],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesEventPattern(pattern, ec2Event)).toBe(expected);
  });

  test('null and empty strings are values to match', () => {
    expect(matchesEventPattern({ detail: { a: [null] } }, { detail: { a: null } })).toBe(true);
    expect(matchesEventPattern({ detail: { a: [''] } }, { detail: { a: '' } })).toBe(true);
    expect(matchesEventPattern({ detail: { a: [null] } }, { detail: {} })).toBe(false);
  });

  test('fails when a leaf is not an array', () => {
    expect(() => matchesEventPattern({ source: 'aws.ec2' }, ec2Event)).toThrow(InvalidEventPatternError);
  });

  test('fails on an unknown condition', () => {
    expect(() => matchesEventPattern({ source: [{ regex: '.*' }] }, ec2Event)).toThrow(/Unknown condition "regex"/);
  });
});
