using Microsoft.Extensions.Logging;
using Toolgrid.Core.Accounts;

namespace Toolgrid.Accounts;

public sealed partial class ToolAccounts
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 6000, EventName = "AccountModeChosen", Level = LogLevel.Information, Message = "Tool accounts are {Mode} (running as uid {Uid}); homes in {DataRoot}")]
        public static partial void ModeChosen(ILogger logger, AccountMode mode, int uid, string dataRoot);

        [LoggerMessage(EventId = 6001, EventName = "ToolAccountReady", Level = LogLevel.Information, Message = "Tool {Tool} has Unix user {UnixUser} (uid = gid = {Id}) and home {Home}")]
        public static partial void AccountReady(ILogger logger, string tool, string unixUser, int id, string home);

        [LoggerMessage(EventId = 6002, EventName = "ToolHomeMadeSingleUser", Level = LogLevel.Information, Message = "Tool {Tool} has home {Home}; it runs as {UnixUser} (single-user mode)")]
        public static partial void HomeMadeSingleUser(ILogger logger, string tool, string home, string unixUser);

        [LoggerMessage(EventId = 6003, EventName = "ToolGroupMade", Level = LogLevel.Information, Message = "Made group {Group} (gid {Gid}) for tool {Tool}")]
        public static partial void GroupMade(ILogger logger, string tool, string group, int gid);

        [LoggerMessage(EventId = 6004, EventName = "ToolUserMade", Level = LogLevel.Information, Message = "Made user {UnixUser} (uid {Uid}) for tool {Tool}")]
        public static partial void UserMade(ILogger logger, string tool, string unixUser, int uid);

        [LoggerMessage(EventId = 6005, EventName = "ToolAccountCreationRaced", Level = LogLevel.Warning, Message = "Making the account of tool {Tool} raced with another change of the user database (attempt {Attempt}): {Reason}; looking again")]
        public static partial void CreationRaced(ILogger logger, string tool, int attempt, string reason);

        [LoggerMessage(EventId = 6006, EventName = "ToolHomeDiffers", Level = LogLevel.Warning, Message = "Unix user {UnixUser} of tool {Tool} has home {Recorded} in the user database, but its home is {Home}")]
        public static partial void HomeDiffers(ILogger logger, string tool, string unixUser, string recorded, string home);

        [LoggerMessage(EventId = 6010, EventName = "MaintainerAdded", Level = LogLevel.Information, Message = "{User} is a member of the group of tool {Tool}")]
        public static partial void MaintainerAdded(ILogger logger, string tool, string user);

        [LoggerMessage(EventId = 6011, EventName = "MaintainerAlreadyAdded", Level = LogLevel.Debug, Message = "{User} was a member of the group of tool {Tool} already")]
        public static partial void MaintainerAlreadyAdded(ILogger logger, string tool, string user);

        [LoggerMessage(EventId = 6012, EventName = "MaintainerRemoved", Level = LogLevel.Information, Message = "{User} is no longer a member of the group of tool {Tool}")]
        public static partial void MaintainerRemoved(ILogger logger, string tool, string user);

        [LoggerMessage(EventId = 6013, EventName = "MaintainerAlreadyRemoved", Level = LogLevel.Debug, Message = "{User} was not a member of the group of tool {Tool}")]
        public static partial void MaintainerAlreadyRemoved(ILogger logger, string tool, string user);

        [LoggerMessage(EventId = 6020, EventName = "ToolAccountDisabled", Level = LogLevel.Information, Message = "Disabled Unix user {UnixUser} of tool {Tool}: locked, expired, no shell; its files are kept")]
        public static partial void AccountDisabled(ILogger logger, string tool, string unixUser);

        [LoggerMessage(EventId = 6040, EventName = "BecomeRulesWritten", Level = LogLevel.Information, Message = "Wrote the rules of 'become' to {Path}: {Count} tools may be become by their maintainers")]
        public static partial void BecomeRulesWritten(ILogger logger, string path, int count);

        [LoggerMessage(EventId = 6041, EventName = "BecomeRulesUnchanged", Level = LogLevel.Debug, Message = "The rules of 'become' in {Path} were up to date ({Count} tools)")]
        public static partial void BecomeRulesUnchanged(ILogger logger, string path, int count);

        [LoggerMessage(EventId = 6042, EventName = "BecomeRuleLeftOut", Level = LogLevel.Warning, Message = "Tool {Tool} gets no rule of 'become', so nobody can become it: {Reason}")]
        public static partial void BecomeRuleLeftOut(ILogger logger, string tool, string reason);

        [LoggerMessage(EventId = 6043, EventName = "BecomeRuleNotGranted", Level = LogLevel.Error, Message = "Could not give the maintainers of tool {Tool} the rule of 'become'; it will be written at the next sync: {Reason}")]
        public static partial void BecomeRuleNotGranted(ILogger logger, string tool, string reason);

        [LoggerMessage(EventId = 6044, EventName = "BecomeRulesNoSudo", Level = LogLevel.Warning, Message = "The rule of 'become' for tool {Tool} was not brought up to date: sudo is not installed on this host")]
        public static partial void BecomeRulesNoSudo(ILogger logger, string tool);

        [LoggerMessage(EventId = 6045, EventName = "BecomeRulesOff", Level = LogLevel.Debug, Message = "No rules of 'become' to write: the accounts are {Mode} and SudoersFile is '{Path}'")]
        public static partial void BecomeRulesOff(ILogger logger, AccountMode mode, string path);

        [LoggerMessage(EventId = 6061, EventName = "LegacyTokenFile", Level = LogLevel.Information, Message = "The token file an older toolgridd wrote in the home of tool {Tool} (.toolgrid/token): {Outcome}")]
        public static partial void LegacyTokenFile(ILogger logger, string tool, Core.Accounts.LegacyTokenFileOutcome outcome);

        [LoggerMessage(EventId = 6030, EventName = "AccountsNothingToDoSingleUser", Level = LogLevel.Information, Message = "Nothing to do to {Operation} for tool {Tool}: tools have no Unix accounts of their own in single-user mode")]
        public static partial void NothingToDoSingleUser(ILogger logger, string operation, string tool);

        [LoggerMessage(EventId = 6063, EventName = "HomesRepaired", Level = LogLevel.Information, Message = "{Count} tool home(s) have mode {Mode}")]
        public static partial void HomesRepaired(ILogger logger, int count, UnixFileMode mode);

        [LoggerMessage(EventId = 6062, EventName = "HomeNotRepaired", Level = LogLevel.Warning, Message = "The home of tool {Tool} keeps its mode: {Reason}")]
        public static partial void HomeNotRepaired(ILogger logger, string tool, string reason);
    }
}
