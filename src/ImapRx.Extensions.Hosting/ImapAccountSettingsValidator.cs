using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Options;

namespace ImapRx.Extensions.Hosting;

/// <summary>Checks each account's settings on start with the library's own rules; messages name the configuration key.</summary>
internal sealed class ImapAccountSettingsValidator : IValidateOptions<ImapAccountSettings>
{
    private readonly IServiceProvider _services;
    private readonly ImapRxRegistration _registration;

    public ImapAccountSettingsValidator(IServiceProvider services, ImapRxRegistration registration)
    {
        _services = services;
        _registration = registration;
    }

    public ValidateOptionsResult Validate(string? name, ImapAccountSettings options)
    {
        if (name is null || !_registration.AccountNames.Contains(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        ImapAccountOptionsBuilder.TryBuild(name, _registration.SectionPathOf(name), options, _services, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
