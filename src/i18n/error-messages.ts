import type { DomainError, ErrorCode } from '../domain/index.ts';
import type { Translator } from './i18n.ts';

/**
 * Every error code's message key and HTTP status. A Record over the ErrorCode union is
 * exhaustive: adding a code without an entry here fails the type check.
 */
const ERROR_TABLE: Record<ErrorCode, { key: string; status: number }> = {
  'REQUEST.NOT_FOUND': { key: 'errors.request.notFound', status: 404 },
  'REQUEST.WRONG_STATUS': { key: 'errors.request.wrongStatus', status: 409 },
  'REQUEST.STALE': { key: 'errors.request.stale', status: 409 },
  'REQUEST.NOT_YOUR_AUTHORITY': { key: 'errors.request.notYourAuthority', status: 403 },
  'REQUEST.NOT_A_HANDLER': { key: 'errors.request.notAHandler', status: 403 },
  'REQUEST.NO_AREA_RIGHTS': { key: 'errors.request.noAreaRights', status: 403 },
  'REQUEST.UNKNOWN_AREA': { key: 'errors.request.unknownArea', status: 422 },
  'REQUEST.UNKNOWN_QUESTION': { key: 'errors.request.unknownQuestion', status: 422 },
  'REQUEST.NOTHING_ASKED': { key: 'errors.request.nothingAsked', status: 422 },
  'REQUEST.RESPONDER_REQUIRED': { key: 'errors.request.responderRequired', status: 422 },
  'REQUEST.RESPONDER_NOT_COMPETENT': { key: 'errors.request.responderNotCompetent', status: 422 },
  'REQUEST.SAME_AUTHORITY': { key: 'errors.request.sameAuthority', status: 422 },
  'REQUEST.SAME_COUNTRY': { key: 'errors.request.sameCountry', status: 422 },
  'REQUEST.FORWARD_OTHER_COUNTRY': { key: 'errors.request.forwardOtherCountry', status: 422 },
  'REQUEST.DEADLINE_REQUIRED': { key: 'errors.request.deadlineRequired', status: 422 },
  'REQUEST.DEADLINE_INVALID': { key: 'errors.request.deadlineInvalid', status: 422 },
  'REQUEST.DEADLINE_IN_PAST': { key: 'errors.request.deadlineInPast', status: 422 },
  'REQUEST.DEADLINE_UNCHANGED': { key: 'errors.request.deadlineUnchanged', status: 422 },
  'REQUEST.REASON_REQUIRED': { key: 'errors.request.reasonRequired', status: 422 },
  'REQUEST.ANSWER_EMPTY': { key: 'errors.request.answerEmpty', status: 422 },
  'REQUEST.MESSAGE_EMPTY': { key: 'errors.request.messageEmpty', status: 422 },
  'REQUEST.TEXT_TOO_LONG': { key: 'errors.request.textTooLong', status: 422 },
  'REQUEST.ALREADY_REFERRED': { key: 'errors.request.alreadyReferred', status: 409 },
  'REQUEST.BLOCKED': { key: 'errors.request.blocked', status: 410 },
  'AUTHORITY.NOT_FOUND': { key: 'errors.authority.notFound', status: 404 },
  'AUTHORITY.ALREADY_EXISTS': { key: 'errors.authority.alreadyExists', status: 409 },
  'AUTHORITY.INVALID_ID': { key: 'errors.authority.invalidId', status: 422 },
  'AUTHORITY.NAME_REQUIRED': { key: 'errors.authority.nameRequired', status: 422 },
  'AUTHORITY.INVALID_COUNTRY': { key: 'errors.authority.invalidCountry', status: 422 },
  'AUTHORITY.INVALID_LANGUAGE': { key: 'errors.authority.invalidLanguage', status: 422 },
  'AUTHORITY.INVALID_TIMEZONE': { key: 'errors.authority.invalidTimezone', status: 422 },
  'AUTHORITY.UNKNOWN_AREA': { key: 'errors.authority.unknownArea', status: 422 },
  'AUTHORITY.COORDINATOR_NOT_FOUND': { key: 'errors.authority.coordinatorNotFound', status: 422 },
  'USER.NOT_FOUND': { key: 'errors.user.notFound', status: 404 },
  'USER.ALREADY_EXISTS': { key: 'errors.user.alreadyExists', status: 409 },
  'USER.INVALID_ID': { key: 'errors.user.invalidId', status: 422 },
  'USER.NAME_REQUIRED': { key: 'errors.user.nameRequired', status: 422 },
  'USER.INVALID_ROLE': { key: 'errors.user.invalidRole', status: 422 },
  'USER.INVALID_LANGUAGE': { key: 'errors.user.invalidLanguage', status: 422 },
  'USER.UNKNOWN_AREA': { key: 'errors.user.unknownArea', status: 422 },
  'USER.INVALID_IDENTITY': { key: 'errors.user.invalidIdentity', status: 422 },
  'USER.IDENTITY_TAKEN': { key: 'errors.user.identityTaken', status: 409 },
  'USER.NOT_REGISTERED': { key: 'errors.user.notRegistered', status: 403 },
  'USER.REASSIGN_REQUIRED': { key: 'errors.user.reassignRequired', status: 409 },
  'USER.REASSIGN_INVALID': { key: 'errors.user.reassignInvalid', status: 422 },
  'ADMIN.FORBIDDEN': { key: 'errors.admin.forbidden', status: 403 },
  'ADMIN.ROLE_NOT_ALLOWED': { key: 'errors.admin.roleNotAllowed', status: 403 },
  'ADMIN.LAST_LOCAL_ADMIN': { key: 'errors.admin.lastLocalAdmin', status: 409 },
  'USER.REASSIGN_NONE': { key: 'errors.user.reassignNone', status: 409 },
  'INVITE.NOT_FOUND': { key: 'errors.invite.notFound', status: 404 },
  'INVITE.EXPIRED': { key: 'errors.invite.expired', status: 410 },
  'INVITE.USED': { key: 'errors.invite.used', status: 409 },
  'INVITE.INVALID_DAYS': { key: 'errors.invite.invalidDays', status: 422 },
  'REGISTER.INVALID_URL': { key: 'errors.register.invalidUrl', status: 422 },
  'REGISTER.NAME_REQUIRED': { key: 'errors.register.nameRequired', status: 422 },
  'REGISTER.AREA_REQUIRED': { key: 'errors.register.areaRequired', status: 422 },
  'HELPDESK.QUESTION_EMPTY': { key: 'errors.helpdesk.questionEmpty', status: 422 },
  'HELPDESK.ANSWER_EMPTY': { key: 'errors.helpdesk.answerEmpty', status: 422 },
  'HELPDESK.UNKNOWN_ENTRY': { key: 'errors.helpdesk.unknownEntry', status: 404 },
  'HELPDESK.ANSWER_NOT_FOUND': { key: 'errors.helpdesk.answerNotFound', status: 404 },
  'HELPDESK.TICKET_NOT_FOUND': { key: 'errors.helpdesk.ticketNotFound', status: 404 },
  'HELPDESK.TICKET_ANSWERED': { key: 'errors.helpdesk.ticketAnswered', status: 409 },
  'HELPDESK.NOT_COORDINATOR': { key: 'errors.helpdesk.notCoordinator', status: 403 },
  'HELPDESK.NO_COORDINATOR': { key: 'errors.helpdesk.noCoordinator', status: 409 },
  'TRAINING.NO_AREA': { key: 'errors.training.noArea', status: 403 },
  'SCOREBOARD.INVALID_PERIOD': { key: 'errors.scoreboard.invalidPeriod', status: 422 },
  'SCOREBOARD.NOT_COORDINATOR': { key: 'errors.scoreboard.notCoordinator', status: 403 },
  'IMPORT.DUPLICATE_ID': { key: 'errors.import.duplicateId', status: 422 },
  'IMPORT.USER_REMOVED': { key: 'errors.import.userRemoved', status: 409 },
};

export const errorKey = (code: ErrorCode): string => ERROR_TABLE[code].key;

export const httpStatusOf = (code: ErrorCode): number => ERROR_TABLE[code].status;

/** The error in the user's words. */
export const describeError = (i18n: Translator, lang: string, error: DomainError): string =>
  i18n.t(lang, errorKey(error.code), error.params);
